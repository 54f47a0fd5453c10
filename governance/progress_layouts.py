"""The progress report's layouts (:mod:`governance.progress`): the layout in force and the
first layout of each change, so that an archived report is made again as it was."""

#: The report's layout (kept with an archived report's parameters): 2 takes the date in force
#: as *Nu* and for the outlook, counts each item once in the summary, shows the source document
#: as a title and is a concept until approved. A report archived without one is made again as
#: layout 1 (the owner's forecast first, the outlook by due date, the source as written) with
#: its frozen templates (``voortgang_v1``), so that it reproduces byte for byte. 3: approved
#: by a decision that names the report (:func:`governance.progress_front.report_approval`); a
#: text-only decision about the action still approves it, flagged *impliciet goedgekeurd*.
#: Layout 2 reports keep the old rule (:func:`governance.progress_front.approval`), so that
#: they reproduce. 4: an item delivered late (done after its due date) is listed under
#: *vertraagd of gewijzigd* too (Nu: the delivery), as the report
#: says, and the report says *punt* where it said *item*; layouts 2–3 keep their rule and their
#: frozen templates (``voortgang_v2``). 5: the day a plan-file edit was recorded (*vastgelegd
#: op*) is the office's day (``calendar.timezone``), not UTC's; layout 4 keeps UTC's date.
#: 6: the heading is the reporting obligation's ``title`` (the plan's name for the report),
#: and a note the office wrote is attributed to it, not called *toelichting eigenaar*;
#: layouts 4–5 keep both. 7: chapter 2 names, per step, the items the summary counts under
#: *afgerond buiten de periode of vervallen* (finished before or after the period, or
#: dropped), so that the count can be checked; an item due by the period's end and finished
#: only after it was late at the end, and is listed (and counted) under *vertraagd of
#: gewijzigd*; the PDF hyphenates the item tables' long words. Layouts 4–6 are made again with
#: their frozen templates (``voortgang_v6``) and their counts. 8: owners by the plan's
#: organisation ``short_name`` or ``name`` (layout 7 showed their ids), and a report whose period
#: ends on the programme's end says it is the final one and looks no further ahead (layout 7
#: promised an outlook past the end). 9 (as agenda layout 10 did, walk32c 6 and walk32a 11): an
#: owner's note over :data:`governance.agenda_model.NOTE_EXCERPT` characters is cut at a word in
#: the tables (*Reden*, the annex) and given once in full at the end (*Toelichtingen in volledige
#: tekst*; the PDF's separate annex file keeps it whole), and a slipped item whose latest answer
#: is *Risico* reads *verschoven, met risico*; layout 8 and before print the note whole and say
#: *verschoven*. 10 (walk32a 5): an item added to the plan in the period says so after its
#: title in chapter 2 (*toegevoegd aan het plan*, with the decision that added it: ``regie
#: decision add --adds``, else the day the plan's addition was recorded); layout 9 and before
#: say nothing of it. 11 (dec45): the decision that added such an item is named when it was
#: taken by the report's day (``as_of``), also after the period's end (*…, na de periode*);
#: layout 10 named only one taken by the period's end and said *zonder besluit* of a later one.
#: 12 (ratify46): a milestone that came with an action a decision added is named with that
#: decision (:func:`governance.decisions.added_by`); layout 11 said *zonder besluit* of it.
#: 13 (adds47, as agenda layout 14): only the milestones the plan had when the action's decision
#: was recorded (or that came with the action) are named with it; one added later reads *zonder
#: besluit* until a decision adds it (layout 12 named the action's decision at it).
#: 13 (words47, walk46 11c): in *vertraagd of gewijzigd* an added item's words follow its title
#: after a semicolon (*Titel; toegevoegd aan het plan (besluit …)*), not in brackets around
#: brackets; layout 12 and before are made again so (:data:`ONE_BRACKET_FROM`).
#: 14 (ratify48): an item removed by a decision says so in one pair of brackets (*uit het plan
#: verwijderd (besluit …; vastgelegd op …)*); layout 13 is made again with two
#: (:data:`ONE_BRACKET_REMOVAL_FROM`). (review47b 3, the decision that names an action added
#: milestone by milestone, does not reach the report: such an action, without a *gereed* of
#: its own, has no line of its own here.)
#: 15 (words49, walk49 12): an item without a date whose state reads as the plan's word
#: (*doorlopend*) says it once, without *(plan: doorlopend)*; layout 14 is made again with it
#: (:data:`PLAN_WORD_FROM`).
#: 16 (fresh50, walk49 1): an item is *verouderd* only after ``stale_after_days`` working days
#: without an update counted from its first assessment at the earliest (nobody was asked
#: before Regie was there: :data:`FIRST_ASSESSED_FROM`, read by ``regie.report_progress``);
#: layout 15 and before are made again with the clock from the day the item became active.
#: 17 (words53): the summary's reading guide says what *verouderd* means when the annex marks
#: an item so (:data:`STALE_GUIDE_FROM`); layout 16 and before are made again without it.
#: 18 (walk54 1, review54 3): a due date moved in the plan file that a later decision
#: ratified (a text-only decision about the item or a ``set_gereed`` to that date, recorded
#: after the edit: :func:`governance.ratification.ratifying_decision`, the rule of the agenda
#: pack's *…accorderen?*) no longer reads *zonder besluit*: the edit names that decision
#: (*bekrachtigd bij besluit …*); one a later decision moved elsewhere says *daarna bijgesteld
#: bij besluit …*; layout 17 and before are made again with *zonder besluit*
#: (:data:`RATIFIED_FROM`).
#: 18 also (walk54 8, as agenda layout 19): an ongoing item whose start is still ahead
#: (``2028 e.v.`` in 2027) reads *nog niet gestart*, not *doorlopend*; layout 17 and before
#: are made again with *doorlopend* (:data:`NOT_STARTED_FROM`).
#: 19 (note54, left55a): a count of one reads in the singular (*1 van de 4 punten heeft een
#: update*, *1 werkdag*, *En nog 1 punt*, the annex's *1 punt*); layout 18 and before are made
#: again with the plural (:data:`COUNT_WORDS_FROM`).
#: 19 also (walk55a 1): an item renumbered with ``formerly`` (its history carried over) is no
#: removal: it is counted once, under its new number, which says *hernummerd (was …)* where
#: an added item says *toegevoegd aan het plan*; layout 18 and before are made again with the
#: old number *uit het plan verwijderd zonder besluit* (:data:`RENUMBERED_FROM`, read by
#: ``regie.report_progress``: :func:`store.agenda_read.item_revisions`'s ``renumbered``).
#: 19 also (walk55a 2): the annex's *Prognose* is the owner's forecast in force, as *Nu* takes
#: it: none for a finished item, nor for one a later decision or plan-file edit moved
#: (:func:`governance.forecasts.forecast_in_force`); layout 18 and before are made again
#: with the standing forecast (:data:`FORECAST_IN_FORCE_FROM`).
#: 19 also (walk55d 8): a final report made after the programme's end says it in the past
#: tense (*eindigde*, *is … geëindigd*); layout 18 and before are made again with *eindigt*
#: (:data:`ENDED_TENSE_FROM`).
#: 19 also (walk55d 1): a dependent item whose predecessor was cancelled, not delivered, is
#: undated (*nog geen datum …, voorganger … vervallen*), not dated from the cancellation;
#: layout 18 and before are made again with that date (:data:`DROPPED_FROM`).
#: 19 also (walk55e 2): every open item with a date in force through the outlook's horizon is
#: counted once: late when that date is before ``as_of``, else under *Vooruitblik* (also one
#: due on ``as_of``, the period's last day when the report stands on it, or between ``as_of``
#: and the period's end); layout 18 and before are made again with the outlook after the
#: period's end only, which left out one due on the stand day and counted one due between the
#: period's end and a later ``as_of`` twice (:data:`COUNTED_ONCE_FROM`).
#: 19 also (walk55e 3): a decision that ratified a plan-file edit and is also one of the item's
#: reasons is named once, in the edit (*bekrachtigd bij besluit …: its words*), no longer also
#: as a reason before it; layout 18 is made again naming it twice (:data:`RATIFIED_ONCE_FROM`).
#: 20 (walk56e 1): in *vertraagd of gewijzigd* an ``idem`` row's promise (and a *Nu* taken
#: from its gereed) reads as the plan's reader text, ``idem (31-12-2026)``
#: (:meth:`governance.plan.Plan.deadlines`' ``gereed``), as the annex and every other view
#: have it; layout 19 and before are made again with the bare ``idem`` (:data:`IDEM_SHOWN_FROM`).
#: 20 also (walk56d 8): a reason followed by another in the *Reden* cell drops its final full
#: stop (a minuted decision is a sentence), so that no ``.;`` is shown; layout 19 and before are
#: made again with it (:data:`STOPS_JOINED_FROM`, read by ``regie.report_render``).
#: 20 also (walk56d 3): a decision corrected by a later one of its meeting (``regie decision
#: add --corrects``) is read as replaced: only the correction, moving the date from the one
#: before the meeting, is a reason; layout 19 and before are made again with both
#: (:data:`CORRECTIONS_FROM`, read by ``regie.report_progress``).
#: 21 (fix57a): an item a decision of a later meeting added (``--adds``) is not in the plan of
#: the report's day (:func:`governance.provenance.additions_undone`), as ``status --as-of`` and
#: the deadline check have it; layout 20 and before are made again with it
#: (:data:`ADDITIONS_UNDONE_FROM`, read by ``regie.report_progress``).
#: 21 (walk57a 4): the *Reden* column quotes the owner's note on the slip, the latest that
#: came with *risico* or a forecast (:mod:`governance.slip_notes`), not a completion note; a
#: finished item without one quotes none (:data:`SLIP_NOTES_FROM`). 21 also (walk57b 5): an
#: owner's note is printed as written, without the CSV formula guard's ``'``
#: (:data:`NOTES_AS_WRITTEN_FROM`). 21 also (walk57a 5, 7, 8): an indicator's goal is named
#: with its ``category`` from the plan, and chapter 3 says what a target without a
#: measurement means; *na de periode afgerond of vervallen*, *(plan: …)* without a bracket
#: inside a bracket, *datums* (:data:`KAMER_WORDS_FROM`). Layout 20 and before are made again
#: as they were.
#: 22 (walk58c 1, 5): the HTML has a viewport and the narrow-screen rules the agenda pack has
#: (``reports/templates/_phone.css.j2``: a table's rows read as cards, a wide table scrolls on
#: its own), so it reflows at 320 px on a phone; the title names the period after a comma
#: (*…, 1 januari 2015 tot en met 31 december 2020*; :data:`PHONE_FROM`). Layout 21 and
#: before are made again without them.
#: 22 also (walk58b 2): the plan-file edits the report lists (a due date moved, an item
#: removed, an owner changed) are those recorded up to the end of its stand date, as the plan
#: it shows is rewound (:data:`EDITS_AS_OF_FROM`, read by ``regie.report_progress``); layout
#: 21 and before are made again listing every edit recorded by their data cut-off. 22 also
#: (walk58b 5): one date style per sentence (*vastgelegd op 8 december 2026* beside *gereed op
#: 7 oktober 2015*) and no bracket after a bracket (*verschoven (verouderd; nagekomen, …)*):
#: :data:`ONE_DATE_STYLE_FROM`. Layout 21 and before are made again as they were.
LAYOUT = 22
#: The first layout with a viewport, the narrow-screen rules and the comma in the title.
PHONE_FROM = 22
#: The first layout that lists only the plan-file edits recorded up to its stand date.
EDITS_AS_OF_FROM = 22
#: The first layout with one date style per sentence and no bracket after a bracket.
ONE_DATE_STYLE_FROM = 22
#: The first layout that leaves out an item a decision of a later meeting added.
ADDITIONS_UNDONE_FROM = 21
#: The first layout whose reads at a data cut-off leave out an update a correction recorded by
#: then replaced (fix56s, fix57a): a report of layout 20 was made from the updates as the daily
#: assessment reads them, so a rebuild at its cut-off does so too; layout 19 and before were
#: made before corrections replaced anything (read by ``regie.report_progress``).
CORRECTED_UPDATES_FROM = 20
#: The first layout whose *Reden* quotes the owner's note on the slip (walk57a 4).
SLIP_NOTES_FROM = 21
#: The first layout that prints an owner's note as written, without ``'`` (walk57b 5).
NOTES_AS_WRITTEN_FROM = 21
#: The first layout with walk57a 5, 7 and 8's words (goal category, chapter 3, brackets).
KAMER_WORDS_FROM = 21
#: The first layout that reads a corrected decision as replaced by its correction.
CORRECTIONS_FROM = 20
#: The first layout whose changes show an ``idem`` row as ``idem (what it copies)``.
IDEM_SHOWN_FROM = 20
#: The first layout whose *Reden* cell reads no full stop before a semicolon.
STOPS_JOINED_FROM = 20
#: The first layout that counts each open item once: late, or under *Vooruitblik*.
COUNTED_ONCE_FROM = 19
#: The first layout that names a ratifying decision once, in the edit it ratified.
RATIFIED_ONCE_FROM = 19
#: The first layout whose final report, made after the programme's end, says it has ended.
ENDED_TENSE_FROM = 19
#: The first layout in which a cancelled predecessor dates no dependent.
DROPPED_FROM = 19
#: The first layout whose annex shows only the forecast in force.
FORECAST_IN_FORCE_FROM = 19
#: The first layout whose counts of one read in the singular.
COUNT_WORDS_FROM = 19
#: The first layout that reads a renumbering (``formerly``) as one item, not a removal.
RENUMBERED_FROM = 19
#: The first layout that names the decision ratifying a plan-file edit of a due date.
RATIFIED_FROM = 18
#: The first layout in which ongoing work not started yet reads *nog niet gestart*.
NOT_STARTED_FROM = 18
#: The first layout whose reading guide explains *verouderd* (``stale_after_days``).
STALE_GUIDE_FROM = 17
#: The first layout whose stale clock starts no earlier than an item's first assessment.
FIRST_ASSESSED_FROM = 16
#: The first layout whose tables keep one level of brackets at an added item's title.
ONE_BRACKET_FROM = 13
#: The first layout that says whose note it quotes and carries the obligation's title.
AUTHORS_FROM = 6
#: The first layout made with ``voortgang_v2``'s templates, not ``voortgang_v1``.
TEMPLATES_FROM = 2
#: The first layout made with the current templates (``voortgang``), not ``voortgang_v2``.
WORDS_FROM = 4
#: The first layout that shows a plan-file edit's recording day in the office's time zone.
LOCAL_DAYS_FROM = 5
#: The first layout that names the items finished outside the period and lists one finished
#: after the period, though due by its end, as changed (``voortgang``, not ``voortgang_v6``).
OUTSIDE_FROM = 7
#: The first layout whose PDF hyphenates the item tables (``_base.html.j2``'s ``hyphenate``).
HYPHENS_FROM = 7
#: The first layout that shows owners by name and knows the final report (the programme's end).
NAMES_FROM = 8
#: The first layout that cuts a long note in its tables and says *verschoven, met risico*.
EXCERPTS_FROM = 9
#: The first layout that marks the items added to the plan in the period (walk32a 5).
ADDED_FROM = 10
#: The first layout that names a decision taken after the period that added an item in it.
ADDED_LATER_FROM = 11
#: The first layout that names an added action's decision at its milestones (ratify46).
ACTION_NAMED_FROM = 12
#: The first layout that reads when items were created for the decision that added them
#: (:func:`governance.decisions.added_by`'s ``created``; review46 9).
DATED_ADDITIONS_FROM = 13
#: The first layout whose removal reason has one pair of brackets (ratify48).
ONE_BRACKET_REMOVAL_FROM = 14
#: The first layout that leaves out *(plan: …)* where it repeats the state's word.
PLAN_WORD_FROM = 15
