"""The cadence words a plan uses: a reporting obligation's ``cadence`` (its default period,
:func:`governance.progress_period.cadence_months`) and a periodic *gereed* (walk55d 9:
:mod:`governance.periods` reads each of them as *recurring*, as it reads ``jaarlijks``)."""

from __future__ import annotations

#: The cadences of a reporting obligation (``reports[].cadence``) a default period is made for,
#: in calendar months; read without case, surrounding space or an adjective's final ``e``
#: (``Tweejaarlijkse`` reads as ``tweejaarlijks``). ``tweejaarlijks`` is every two years, as
#: the MVI plan uses it ("de tweejaarlijks uit te voeren benchmark", a biennial report to the
#: Kamer); twice a year is ``halfjaarlijks`` (or ``twee keer per jaar``). Any other text is no
#: cadence Regie guesses: the period is then given (``--from``/``--to``).
CADENCES: dict[str, int] = {
    "maandelijks": 1, "per maand": 1, "elke maand": 1, "iedere maand": 1, "monthly": 1,
    "per kwartaal": 3, "elk kwartaal": 3, "ieder kwartaal": 3, "kwartaal": 3,
    "driemaandelijks": 3, "quarterly": 3,
    "halfjaarlijks": 6, "per halfjaar": 6, "elk halfjaar": 6, "ieder halfjaar": 6,
    "zesmaandelijks": 6, "twee keer per jaar": 6, "tweemaal per jaar": 6, "half-yearly": 6,
    "semi-annual": 6, "semiannual": 6,
    "jaarlijks": 12, "per jaar": 12, "elk jaar": 12, "ieder jaar": 12, "eens per jaar": 12,
    "annual": 12, "annually": 12, "yearly": 12,
    "tweejaarlijks": 24, "elke twee jaar": 24, "iedere twee jaar": 24, "om de twee jaar": 24,
    "eens per twee jaar": 24, "per twee jaar": 24, "biennial": 24, "biennially": 24,
}  # fmt: skip
#: The cadences as the command line lists them when it meets another one.
CADENCE_NAMES = ("maandelijks", "per kwartaal", "halfjaarlijks", "jaarlijks", "tweejaarlijks")
