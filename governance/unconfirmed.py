"""A message a channel may have delivered without saying so (a mail server that took the
message's data and did not answer in time): Regie never sends it again on its own. The phrase
starts such a message's reason in the outbox's ``last_error``, which is how `regie outbox retry
--all-dead` tells it apart and leaves it out (the operator retries it by its key, after
checking that it did not arrive)."""

MAY_HAVE_ARRIVED = "it may have arrived, so Regie does not send it again"
