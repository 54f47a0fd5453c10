"""The agenda pack's layouts: the layout in force (:data:`AGENDA_LAYOUT`, kept with an archived
pack's parameters) and the first layout of each change, so that an archived pack is made again
as it was; and the rule each layout tied a status round to its meeting by. Read the layout in
force through :mod:`regie.report_build` (tests set it there to make an older layout)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.agenda_round import TieRule


#: The agenda pack's layout (kept with an archived pack's parameters as ``layout``): 2 puts
#: what needs a decision first (page 1), ranks *ter besluitvorming* by weight and says what got
#: worse; 3 lists an organisation's change of contact person *sinds de vorige vergadering*. A
#: pack archived without it is made again with layout 1's frozen templates
#: (``agenda_v1.*.j2``: the release's just before layout 2; a pack an earlier release made is
#: not comparable, :data:`regie.report_reproduce.NOT_COMPARABLE`); one of layout 2 with
#: today's templates and the entries layout 2 had (:meth:`governance.agenda.SinceLast.upto`).
#: 4: *eerder voorgelegd* counts only the packs sent before their meeting (layout 3 counted
#: the last pack archived for each meeting, made by hand or after it too). 5: the programme's
#: words (*punt*, *stand*, *toelichting*) where packs said *item*; layouts 2–4 are made again
#: with their frozen templates (``*_v2.*.j2``), so they still match byte for byte. 6: only a
#: change to a worse colour is *verslechterd*; improvements are listed apart (layout 5 listed
#: every change of colour as worse; made again with ``agenda_v5.*.j2``). 7: the PDF hyphenates
#: the item tables' long words and the owner's column fits its header (``_base.html.j2``'s
#: ``hyphenate``; layouts 5–6 broke a title anywhere, without a hyphen). 8: *Statusronde* after
#: the summary says how the meeting's status round went (asked, answered, the items without an
#: answer), read within the pack's cut-off; layouts up to 7 leave it out and read no round.
#: 9: owners by the plan's organisation ``short_name`` or ``name``
#: (:data:`regie.report_render.AGENDA_NAMES_FROM`); layouts up to 8 show their ids.
#: 10: *Statusronde* ties a round whose meeting was moved or dropped to the nearer known meeting
#: (:func:`governance.agenda_round.tie_rounds`, review10a 3); layouts 8 and 9 are made again
#: with the rule each was built with (:func:`round_tie_rule`).
#: 10 also: *Statusronde* does not count a correction of an update reported before the round as
#: an answer (:data:`AGENDA_ROUND_CORRECTIONS_FROM`); layouts 8–9 counted it.
#: 10 also (walk32c 6): an owner's
#: note over :data:`governance.agenda_model.NOTE_EXCERPT` characters is cut in the tables and
#: given in full once at the pack's end (*Toelichtingen in volledige tekst*); layouts up to 9
#: print it whole in every table (:data:`AGENDA_EXCERPTS_FROM`); a first meeting's headings
#: say since when changes count, and a slipped item answered *Risico* reads *verschoven, met
#: risico* (walk32a 11).
#: 11 (walk32a 5): an item a decision added (``regie decision add --adds``) is *nieuw in het
#: plan (besluit …)*; layouts up to 10 say *vastgelegd op* for every new item
#: (:data:`AGENDA_ADDED_FROM`).
#: 12 (dec45, round45 2): an item added to the plan file without a decision is put *ter
#: besluitvorming* (*Toevoeging van … aan het plan accorderen?*) until a decision adds it, as
#: `regie sync` warns (:data:`AGENDA_ASK_ADDED_FROM`); the PDF's annex file says *verschoven, met
#: risico* as the pack's own tables do; *Statusronde* does not count a correction of a correction
#: of an update reported before the round either (the chain's first update decides; layouts 10–11
#: looked at the corrected update only, :data:`AGENDA_ROUND_CHAIN_FROM`); nor a round moved
#: Layouts up to 11 are made again without these.
#: 13 (ratify46, cancel46, end46): an addition done or cancelled, or in the plan as it stood
#: at the upgrade to 0036, is not put to the body (:data:`AGENDA_CLOSED_ADDITIONS_FROM`); a
#: milestone that came with an action a decision added is *nieuw in het plan (besluit …)*
#: (:data:`AGENDA_ACTION_NAMED_FROM`); *Statusronde* does not count a round moved with its
#: meeting for a meeting whose own round starts after the round's answer-by date
#: (:data:`AGENDA_FRESH_ROUND_FROM`); a meeting date listed after the programme's end (a
#: closing meeting) is one of the body's meetings, for *Vooruitblik* and the rounds
#: (:data:`AGENDA_CLOSING_MEETINGS_FROM`). Layouts up to 12 are made again without these.
#: 14 (end47, walk46 6 and 9): a pack made after the programme's end says so at the top, with
#: the items still open, and asks a late item's new date or lapse; its *Statusronde* leaves out
#: the unanswered items without a deadline (:data:`AGENDA_CLOSING_PACK_FROM`). Also (adds47): an
#: action's decision adds the milestones the plan had when it was recorded (or that came with
#: the action); a milestone added later is put to the body as an addition of its own; an
#: action without a *gereed* of its own whose milestones decisions each added is not
#: asked, and is *nieuw in het plan (besluit …)* (:data:`AGENDA_DATED_ADDITIONS_FROM`).
#: 14 (words47, walk46 11b–d): *In het kort* introduces its points as the heaviest first, in
#: the order of its count (layout 13: *eerst de punten die om een keuze vragen*, escalations
#: first); a point's reason has one level of brackets; *eerder voorgelegd* counts the earlier
#: packs that put the same question (each pack keeps its points' reasons, ``asked``), and
#: names apart the meetings its item was on with another question
#: (:data:`AGENDA_SAME_QUESTION_FROM`). Layouts up to 13 are made again without these.
#: 15 (close48, review47 6 and 7): a pack made before the end for a meeting after it says the
#: end at the top in the future tense and offers lapse; the last meeting before the end says
#: it is the last (:data:`AGENDA_END_AHEAD_FROM`); the top line has the words of review47 7,
#: the routine points name lapse where the pack offers it, and an escalation's question has no
#: brackets of its own (:data:`regie.report_render` ``close_words``); an action added
#: milestone by milestone is named with the latest meeting's decision (ratify48,
#: :data:`AGENDA_ADDITIONS_BY_MEETING_FROM`). Layouts up to 14 are made again without these.
#: 16 (words49, walk49 10): a first meeting's *Besluitenlijst vorige vergadering* says there is
#: no previous meeting, as its part 3 says it is the first (:data:`AGENDA_NO_PREVIOUS_FROM`);
#: layouts up to 15 are made again with *Geen besluiten vastgelegd.*
#: 17 (fresh50, walk49 1): an item is *verouderd* only after ``stale_after_days`` working days
#: without an update counted from its first assessment at the earliest (nobody was asked
#: before Regie was there, :data:`AGENDA_FIRST_ASSESSED_FROM`); layouts up to 16 are made again
#: with the clock from the day the item became active.
#: 18 (words53): a change of a step's or the programme's colour to a worse one whose only cause
#: is the staleness of items Regie did not follow yet on the previous meeting's day (first
#: assessed after it: they could not be stale then) is not *verslechterd*: it is listed as
#: *Oranje door verouderde punten, geen verslechtering* with those items and why (Regie
#: followed them only after that meeting; its first assessment, when that came after it:
#: :data:`AGENDA_STALE_APART_FROM`). Layouts up to 17 are made again listing such a change as
#: *verslechterd*.
#: 19 (walk54, walk54b): an item at risk without a date is still asked for its date or its
#: term (:data:`AGENDA_RISK_DATES_FROM`), and *sinds de vorige vergadering* also lists what the
#: body's latest pack could not show, marked *nog niet in het vorige agendapakket*, and its
#: *Wat is verslechterd* compares with the data as that pack read them, not with the previous
#: meeting's day, so a risk reported or a deadline passed between that pack and its meeting is
#: listed (so marked) and none twice (:data:`AGENDA_CATCH_UP_FROM`, fix54g; that pack may be one
#: made by hand, a finish counts by the moment it came about, the mark sits in the change's own
#: bracket, review54 6, 9, 11); a removal without
#: a decision is a choice of the body and a date moved without a decision shows the promise
#: beside the plan's date, and *sinds de vorige vergadering* names the decision about the item
#: that ratified such an edit (*bekrachtigd bij besluit …*, the rule of *…accorderen?* and of
#: progress layout 18, fix54g) (:data:`AGENDA_UNRATIFIED_FROM`); a late point says
#: *deadline … verstreken* and the *verslechterd* count says the owners reported it
#: (:data:`AGENDA_WORSE_WORDS_FROM`).
#: Layouts up to 18 are made again without any of these.
#: 19 also (walk54 8): an ongoing item before its start (``2028 e.v.`` in 2027) reads *nog niet
#: gestart*, not *doorlopend*, and *Statusronde* does not count it as unanswered
#: (:data:`AGENDA_NOT_STARTED_FROM`); layouts up to 18 are made again with *doorlopend*.
#: 20 (note54, left55a): a count of one reads in the singular (*nu 1 mijlpaal*, *En nog 1
#: punt*, *1 van 1 punt groen*, *1 werkdag*; :data:`AGENDA_COUNT_WORDS_FROM`); layouts up to 19
#: are made again with the plural.
#: 20 also (walk55a 1): an item renumbered with ``formerly`` is named once, under its new
#: number (*hernummerd (was …)*), and its old number is no removal the body is asked to accord
#: (:data:`AGENDA_RENUMBERED_FROM`); layouts up to 19 are made again with the removal.
#: 20 also (walk55a 2): *Prognose* is the owner's forecast in force
#: (:data:`AGENDA_FORECAST_IN_FORCE_FROM`); layouts up to 19 are made again with the standing one.
#: 20 also (walk55d 7): a move of the programme's end in the plan file is said and asked to
#: accord (:data:`AGENDA_END_MOVED_FROM`); layouts up to 19 are made again without it.
#: 20 also (walk55d 1, 2): a dependent whose predecessor was cancelled is undated and its date
#: asked (:data:`AGENDA_DROPPED_FROM`); the top line around the end counts the items waiting on
#: a predecessor apart (:data:`AGENDA_END_WAITING_FROM`).
#: 21 (walk56a 6): an escalation only `regie replay` raised (its messages suppressed, never
#: sent) is not *onbeantwoord*: nobody received it (:data:`AGENDA_REPLAYED_ESCALATIONS_FROM`);
#: a decision list that starts before the previous meeting, as meetings passed without a pack,
#: says so and from which meeting (:data:`AGENDA_DECISIONS_SINCE_FROM`). Layouts up to 20 are
#: made again with the replayed escalations and without that sentence.
#: 21 also (walk56d 2): a decision of an earlier meeting recorded after the body's latest pack is
#: listed once, in the next pack's decision list, marked *nog niet in het vorige agendapakket*,
#: saying when it answers a question that pack asked (:data:`AGENDA_LATE_DECISIONS_FROM`);
#: (walk56d 4, 9, 10) the change counts take the plural (*3 datums gewijzigd*,
#: :data:`AGENDA_PLURAL_COUNTS_FROM`), *Vooruitblik* says *tot en met* its horizon
#: (:data:`AGENDA_AHEAD_UNTIL_FROM`), and a point's reason names a meeting once
#: (:data:`AGENDA_MEETING_ONCE_FROM`). Layouts up to 20 are made again without these.
#: 22 (fix57d): with a next meeting, *Vooruitblik* lists what is due (or forecast) before that
#: meeting's day and says so: what is due on the day itself is for that meeting's own pack
#: (:data:`AGENDA_AHEAD_BEFORE_NEXT_FROM`); a decision recorded late after a pack made by hand
#: says when it answers a question that pack asked, as after a pack the meeting preparation
#: sent (:data:`AGENDA_HAND_ASKED_FROM`). 22 (fix57a) also: an item a decision of a later
#: meeting added (``--adds``) is not in the plan of the pack's day, nor of the previous
#: meeting's or the latest pack's day (:data:`AGENDA_ADDITIONS_UNDONE_FROM`); the data as the
#: latest pack read them leave out an update a correction recorded by then replaced
#: (:data:`AGENDA_SHOWN_CORRECTED_FROM`). 22 (walk57a 1) also: a pack archived for a meeting
#: by hand, before its day, is that meeting's pack
#: for the decision list too (:func:`regie.prepare.decisions_from`, kept with the pack's
#: parameters), and the sentence about an earlier start says that no pack was made in Regie
#: before those meetings (:data:`AGENDA_HAND_PACKS_FROM`); (walk57a 3) an owner's forecast
#: that passed without delivery since the body's latest pack is *nieuw te laat*
#: (:data:`AGENDA_LAPSED_FORECASTS_FROM`). 22 (walk57b 5) also: an owner's note is printed as
#: written, also one that starts with ``=``, ``+``, ``-`` or ``@`` (a pack is no spreadsheet:
#: the CSV exports keep their formula guard; :data:`AGENDA_NOTES_AS_WRITTEN_FROM`). Layouts up
#: to 21 are made again without these (with the ``'``).
#: 23 (walk58c 1, 5): the HTML pack and its annex have a viewport and share the narrow-screen
#: rules (``reports/templates/_phone.css.j2``; before, the annex had none), so they reflow on a
#: phone; the title (HTML ``<title>``, the PDF's) has the meeting's date in Dutch words
#: (:data:`AGENDA_PHONE_FROM`). Layouts up to 22 are made again without them (ISO date).
#: 23 also (walk58a 4): a point under *Escalatie onbeantwoord* for another reason (*te laat*,
#: *rood*) also says when it was escalated (:data:`AGENDA_ESCALATED_ON_FROM`); (walk58a 5) a
#: contact change counts by the moment it was recorded, as the items' plan edits
#: (:data:`AGENDA_CONTACTS_BY_MOMENT_FROM`).
AGENDA_LAYOUT = 23
#: The first agenda layout with a viewport, the shared narrow-screen rules in the pack and its
#: annex, and the meeting's date in words in the title (walk58c 1, 5).
AGENDA_PHONE_FROM = 23
#: The first agenda layout (23, walk58a 4) whose points under *Escalatie onbeantwoord* all say
#: when they were escalated: one asked for another reason (*te laat: deadline … verstreken*)
#: adds *geëscaleerd op …, onbeantwoord* (``_asked.j2``'s ``escalated``); older layouts are
#: made again without it.
AGENDA_ESCALATED_ON_FROM = 23
#: The first agenda layout (23, walk58a 5) whose *Sinds de vorige vergadering* counts an
#: organisation's contact change by the moment it was recorded, as an item's plan edit (after
#: the body's latest pack was archived, or from the previous meeting's day): older layouts
#: counted it by its day, from the day after that pack's, and lost one recorded on that day
#: after the pack (:func:`governance.contact_changes.contact_changes`' ``counts``).
AGENDA_CONTACTS_BY_MOMENT_FROM = 23
#: The first agenda layout that prints an owner's note as written, without the CSV formula
#: guard's ``'`` (walk57b 5: :func:`governance.agenda_lines.item_lines`' ``guarded``).
AGENDA_NOTES_AS_WRITTEN_FROM = 22
#: The first agenda layout that shows owners by the plan's organisation ``short_name`` or
#: ``name`` (8 and before showed their ids).
AGENDA_NAMES_FROM = 9
#: The first agenda layout whose *Statusronde* ties rounds by today's rule (``tie_rounds``).
AGENDA_NEARER_ROUND_FROM = 10
#: The first agenda layout that cuts a long note in its tables (walk32c 6) and has the
#: wording of walk32a 11 (first meeting, *met risico*).
AGENDA_EXCERPTS_FROM = 10
#: The first agenda layout that names the decision that added a new item (walk32a 5).
AGENDA_ADDED_FROM = 11
#: The first agenda layout that puts an item added without a decision to the body, and whose
#: PDF annex file says *met risico* (dec45).
AGENDA_ASK_ADDED_FROM = 12
#: The first agenda layout whose *Statusronde* does not count a moved round for a meeting whose
#: own round starts after the round's answer-by date (cancel46: that meeting has its own).
AGENDA_FRESH_ROUND_FROM = 13
#: The first agenda layout that does not put an addition done or cancelled, or one accepted at
#: the upgrade to 0036 (``additions_accepted``), to the body (ratify46).
AGENDA_CLOSED_ADDITIONS_FROM = 13
#: The first agenda layout that names an added action's decision at its milestones (ratify46).
AGENDA_ACTION_NAMED_FROM = 13
#: The first agenda layout whose additions read when items were created (adds47: review46 9,
#: walk46 4): :func:`governance.decisions.added_by`'s ``created``.
AGENDA_DATED_ADDITIONS_FROM = 14
#: The first agenda layout whose meetings include a date listed after the programme's end
#: (end46); older packs are made again with the meetings they were built with.
AGENDA_CLOSING_MEETINGS_FROM = 13
#: The first agenda layout whose *eerder voorgelegd* counts the same question only, and whose
#: *In het kort* and reasons have the words of walk46 11b–c.
AGENDA_SAME_QUESTION_FROM = 14
#: The first agenda layout whose stale clock starts no earlier than an item's first
#: assessment (fresh50): :func:`regie.report_reads.assess_as_of`'s ``first_assessed``.
AGENDA_FIRST_ASSESSED_FROM = 17
#: The first agenda layout that lists apart a change of colour made by staleness Regie could
#: not have seen on the previous meeting's day (words53): :func:`governance.agenda_since.
#: got_worse`'s ``unstale``.
AGENDA_STALE_APART_FROM = 18
#: The first agenda layout that asks the date (*Datum vaststellen*) or term of an item at risk
#: without a date (walk54 2): :func:`governance.agenda_asked.missing_date`.
AGENDA_RISK_DATES_FROM = 19
#: The first agenda layout whose *sinds de vorige vergadering* also lists what happened or was
#: recorded after the body's latest pack (walk54 3): :func:`governance.agenda_since.since_last`'s
#: ``shown``; and whose *Wat is verslechterd* compares with that pack's data (walk54b, fix54g:
#: ``shown_assessment``), older layouts with the previous meeting's day. That pack is the one
#: the meeting preparation sent, else one made by hand for that meeting before its day
#: (review54 6, review54c 5: :func:`regie.pack_earlier.shown_before`).
AGENDA_CATCH_UP_FROM = 19
#: The first agenda layout that reads a renumbering (``formerly``, its history carried over) as
#: one item (walk55a 1): not a removal to accord nor an addition, but *hernummerd (was …)*
#: under *sinds de vorige vergadering* (:func:`store.agenda_read.item_revisions`'s
#: ``renumbered``).
AGENDA_RENUMBERED_FROM = 20
#: The first agenda layout (20, walk55a 2) whose *Prognose* (the annex, the exceptions, the
#: points for decision) and look ahead take the owner's forecast in force
#: (:func:`governance.forecasts.forecast_in_force`: none for a finished item, nor for one a
#: later decision or plan-file edit moved), as the progress report's *Nu* does; older layouts
#: are made again with the standing forecast, whatever came after it.
AGENDA_FORECAST_IN_FORCE_FROM = 20
#: The first agenda layout (20, walk55d 1) in which a dependent item whose predecessor was
#: cancelled, not delivered, is undated (its date asked, *voorganger … vervallen*), not dated
#: from the cancellation; older layouts are made again with that date.
AGENDA_DROPPED_FROM = 20
#: The first agenda layout (20, walk55e 1) whose *Vooruitblik* starts at the pack's day: an
#: open item due or forecast between the pack and the meeting is announced; older layouts
#: look ahead from the meeting only.
AGENDA_AHEAD_FROM_PACK_FROM = 20
#: The first agenda layout (20, walk55e 4, fix55u) whose colour changes also name the colour
#: the body's latest earlier pack showed, where it differs from the previous meeting's day
#: (*groen (op de vergadering; in het vorige stuk oranje) → rood*), and list a colour that
#: turned worse between that pack and the meeting and is unchanged since.
AGENDA_COLOUR_BASIS_FROM = 20
#: The first agenda layout (20, walk55d 2) whose top line around the programme's end counts
#: the items waiting on a predecessor apart from those without a date: they are asked again
#: once their predecessor is done (older layouts counted them as no longer asked).
AGENDA_END_WAITING_FROM = 20
#: The first agenda layout (21, walk56a 6a) that leaves an escalation only `regie replay`
#: raised out of *onbeantwoord* (:func:`store.replayed_escalations.replayed_escalations_read`):
#: its messages were suppressed, nobody received it; older layouts are made again with it.
AGENDA_REPLAYED_ESCALATIONS_FROM = 21
#: The first agenda layout (21, walk56a 6b) whose decision list, when it starts before the
#: previous meeting (:func:`regie.prepare.decisions_from`: meetings passed without a pack),
#: says so in the pack (:attr:`governance.agenda_model.AgendaPack.decisions_since`); older
#: layouts are made again without that sentence (it went to stderr only).
AGENDA_DECISIONS_SINCE_FROM = 21
#: The first agenda layout (21, walk56d 3) that reads a decision corrected by a later one of
#: its meeting (``regie decision add --corrects``) as replaced: the decision list shows the
#: correction only, and *Sinds de vorige vergadering* one date change, from the date before
#: the meeting to the corrected one (:mod:`governance.decision_corrections`); older layouts
#: are made again with both decisions and both changes.
AGENDA_CORRECTIONS_FROM = 21
#: The first agenda layout whose own reads at a data cut-off (the pack's day, the previous
#: meeting's) leave out an update a correction recorded by the cut-off replaced (fix56s,
#: fix57a): a pack of layout 21 was made from the updates as the daily assessment reads them,
#: corrections applied, so a rebuild at its cut-off applies them too; layouts up to 20 were
#: made before corrections replaced anything and are made again so.
AGENDA_CORRECTED_UPDATES_FROM = 21
#: The first agenda layout (22, fix57a) whose data as the body's latest pack read them
#: (``shown_assessment``, at that pack's archiving) leave out an update a correction recorded
#: by then replaced, as that pack's own reads did; older layouts are made again without.
AGENDA_SHOWN_CORRECTED_FROM = 22
#: The first agenda layout (22, fix57a) whose plan of a day leaves out an item a decision of a
#: later meeting added (``--adds``: :func:`governance.provenance.additions_undone`), as
#: ``status --as-of`` and the deadline check do; older layouts are made again with it.
AGENDA_ADDITIONS_UNDONE_FROM = 22
#: The first agenda layout whose *Statusronde* leaves out a correction of an update reported
#: before the round (review7 8: the office's typo fix is not the owner's answer).
AGENDA_ROUND_CORRECTIONS_FROM = 10
#: The first agenda layout whose *Statusronde* judges a correction by its chain's first update
#: (round45 2), not by the update it corrects.
AGENDA_ROUND_CHAIN_FROM = 12
#: The first agenda layout whose *sinds de vorige vergadering* names an action added milestone
#: by milestone with the decision of the latest meeting among them, not the one recorded last
#: (ratify48, review47b 3); packs of 14 and before keep the old naming.
AGENDA_ADDITIONS_BY_MEETING_FROM = 15
#: The first agenda layout that says the programme ended (a pack made after ``programme.end``)
#: and whose *Statusronde* then leaves out the items no longer asked (end47).
AGENDA_CLOSING_PACK_FROM = 14
#: The first agenda layout that says the programme's end ahead of it (a meeting after the end,
#: the last one before it) and has close48's words (top line, routine lapse, escalation).
AGENDA_END_AHEAD_FROM = 15
#: The first agenda layout whose decision list says a first meeting has no previous one.
AGENDA_NO_PREVIOUS_FROM = 16
#: The first agenda layout (19, walk54b 1 and 3) that weighs an item removed from the plan file
#: without a decision as a *keuze van de vergadering* (older layouts filed it as routine), and
#: that shows a date moved in the plan file without a decision, until it is ratified, as the
#: promise and the plan's new date (``ItemLine.promised``), not the new date alone as promised;
#: whose *sinds de vorige vergadering* says which decision ratified such an edit
#: (:func:`governance.ratification.ratifying_decision`; older layouts: *zonder besluit*
#: whatever came after).
AGENDA_UNRATIFIED_FROM = 19
#: The first agenda layout (19, walk54b 6 and 8) whose late point says *te laat: deadline …
#: verstreken*, as *Wat is verslechterd* does (older layouts: *te laat sinds* the deadline, a
#: day the item was not late yet), and whose *verslechterd* count says the risks and slips
#: counted are those the owners reported (a date moved in the plan file is not among them).
AGENDA_WORSE_WORDS_FROM = 19
#: The first agenda layout (19, walk54 8) in which an ongoing item whose start is still ahead
#: reads *nog niet gestart* (:func:`governance.item_start.not_started`; older layouts:
#: *doorlopend*) and is not counted in *Statusronde* (no round asks it any more); a decision
#: about it in the decision list reads *nu nog niet gestart*, not *nu doorlopend* (fix54m), and
#: a decision about an action counts such milestones as *nog niet gestart* (review54c 7).
AGENDA_NOT_STARTED_FROM = 19
#: The first agenda layout (20, note54's "nu 1 mijlpalen") whose counts of one read in the
#: singular: the decision list's milestones (*nu 1 mijlpaal*), *En nog 1 zo’n punt / punt /
#: wijziging*, a step's *1 van 1 punt groen*, the legend's *1 werkdag*, the PDF's *het enige
#: punt* and the annex's *1 punt*; older layouts are made again with the plural.
AGENDA_COUNT_WORDS_FROM = 20
#: The first agenda layout (20, walk55d 7) that says under *sinds de vorige vergadering* that
#: the programme's end moved in the plan file, and asks the body to accord it; older layouts
#: are made again without it.
AGENDA_END_MOVED_FROM = 20
#: The first agenda layout (21, walk56d 2) whose decision list also lists a decision of a
#: meeting before the previous one that was recorded after the body's latest earlier pack
#: (:func:`regie.pack_earlier.shown_before`), marked *nog niet in het vorige agendapakket*,
#: and says when it answers a question that pack put to the body
#: (:attr:`governance.agenda_model.DecisionLine.answers`); older layouts never listed such a
#: decision.
AGENDA_LATE_DECISIONS_FROM = 21
#: The first agenda layout (21, walk56d 4) whose *sinds de vorige vergadering* counts take the
#: plural above one (*3 datums gewijzigd*, *2 eigenaren gewijzigd*, *2 contactpersonen
#: gewijzigd*); older layouts are made again with the singular noun.
AGENDA_PLURAL_COUNTS_FROM = 21
#: The first agenda layout (21, walk56d 9) whose *Vooruitblik* says *tot en met* its horizon,
#: which it includes (older layouts: *vóór*).
AGENDA_AHEAD_UNTIL_FROM = 21
#: The first agenda layout (21, walk56d 10) whose point's reason names the meeting of *eerder
#: besloten op …* once: not again among the meetings it was put to the body, with this or
#: another question; older layouts are made again naming it two or three times.
AGENDA_MEETING_ONCE_FROM = 21
#: The first agenda layout (22, fix57d) whose *Vooruitblik*, with a next meeting, leaves out
#: what is due (or forecast) on that meeting's day and says *vóór de volgende vergadering*:
#: that meeting's own pack lists it (its look ahead starts at its day). Layout 21 listed it
#: *tot en met de dag van de volgende vergadering*; without a next meeting both say *tot en
#: met* the horizon, which they include.
AGENDA_AHEAD_BEFORE_NEXT_FROM = 22
#: The first agenda layout (22, fix57d) that reads what a pack made by hand put to the body
#: (its ``listed``, kept as a sent pack's is) when that pack is the body's latest
#: (:class:`governance.agenda_model.ShownBefore`): a decision recorded late after it says
#: whether it answered that pack's question. Layout 21 said so after a sent pack only.
AGENDA_HAND_ASKED_FROM = 22
#: The first agenda layout (22, walk57a 1) whose decision list counts a pack made by hand for
#: an earlier meeting, before its day, as that meeting's pack (:func:`had_by_hand`): the list
#: starts where *sinds de vorige vergadering* takes up, and its sentence about an earlier start
#: says *geen agendapakket in Regie gemaakt*; older layouts keep the start they were archived
#: with (``decisions_from``) and are made again with *zonder agendapakket*.
AGENDA_HAND_PACKS_FROM = 22
#: The first agenda layout (22, walk57a 3) whose *Wat is verslechterd* lists an item whose
#: owner's forecast (after its deadline) passed without delivery since the body's latest pack
#: or the previous meeting: *te laat: prognose … verstreken* (:func:`governance.agenda_since.
#: got_worse`'s ``lapsed``); older layouts are made again without it.
AGENDA_LAPSED_FORECASTS_FROM = 22


def round_tie_rule(layout: int) -> TieRule:
    """The rule a pack of ``layout`` tied a round to its meeting by: 8 the meeting recorded
    with the round exactly, 9 (review8 3) a recorded meeting no longer known as the next known
    one, 10 the nearer known one (review10a 3), 13 not one whose own round starts after the
    round's answer-by date (cancel46)."""
    from governance.agenda_round import TieRule

    if layout >= AGENDA_FRESH_ROUND_FROM:
        return TieRule.FRESH
    if layout >= AGENDA_NEARER_ROUND_FROM:
        return TieRule.NEARER
    # review8 3 (the next known meeting) was released with layout 9.
    return TieRule.NEXT if layout >= 9 else TieRule.RECORDED
