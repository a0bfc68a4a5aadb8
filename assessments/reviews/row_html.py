"""How one capability looks on the assessment page: its HTML, put together here rather than by a template include.

A page has a row per capability (18 on the default frameworks' levels, dozens on a big framework's area), each with a
radio per scale level, an autosave address and the evidence log under it: rendered by an include, the rows were about
two fifths of the page's time (issue 11). Every text is escaped (`escape`, or format_html for the rarer parts); the
rest is fixed markup, ids and numbers. The markup is what templates/assessments/reviews/includes/capability.html was,
label for label: the page's structure tests and its browser tests (axe included) hold it to that.
"""

from dataclasses import dataclass
from datetime import date
from html import escape

from django.template.defaultfilters import date as date_format
from django.template.defaultfilters import linebreaksbr, truncatechars, truncatewords, urlize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from frameworks.templatetags.mastery import render_mastery_bar


@dataclass
class RowPage:
    """What every row of one page shares: who is reading, whether they edit, the level and its scale."""

    assessment: object
    can_edit: bool
    criteria: bool  # the framework's scale is criteria (not yet / meets / exceeds), not mastery
    scale_levels: list
    hide_ratings: bool  # a blind cycle keeps this assessment's answers from the reader
    show_theirs: bool  # the person's own rating beside each of a manager assessment's
    theirs_hidden: bool
    is_subject: bool
    is_author: bool
    carried_label: str = ""  # "carried from your review of …", on each answer carried and not changed since
    log_since: date | None = None

    @classmethod
    def from_context(cls, context: dict) -> "RowPage":
        names = ("assessment", "can_edit", "criteria", "scale_levels", "hide_ratings", "show_theirs")
        names += ("theirs_hidden", "is_subject", "is_author", "carried_label", "log_since")
        return cls(**{name: context[name] for name in names})

    def __post_init__(self):
        self.scale_length = len(self.scale_levels)
        self.top_rank = self.scale_levels[-1].rank if self.scale_levels else None
        self.level_name = escape(self.assessment.level.name)
        self.choices = [(str(level.pk), escape(level.name)) for level in self.scale_levels]  # a radio each


def rows_html(rows, page: RowPage) -> None:
    """Give each row its `html`."""
    for row in rows:
        row.html = capability_html(row, page)


def capability_html(row, page: RowPage) -> SafeString:
    # The parts every row has are f-strings with each text through `escape` (format_html escapes every argument,
    # numbers and safe parts included: four times the cost over a page); the rarer parts use format_html.
    capability, pk = row.capability, row.capability.pk
    parts = [f'<div class="capability{" capability--error" if row.error else ""}" id="capability-{pk}"']
    if page.can_edit:
        save_url = escape(reverse("assessments:save_rating", args=[page.assessment.pk, pk]))
        parts.append(
            f'\n     hx-post="{save_url}" hx-trigger="change, input delay:800ms"'
            f'\n     hx-target="#save-{pk}" hx-swap="innerHTML" hx-sync="this:queue last"'
            f'\n     hx-params="r{pk}-scale,r{pk}-evidence,r{pk}-revision"'
        )
    parts.append('>\n  <div class="capability__main">\n')
    name = escape(capability.name)
    if page.can_edit:
        described = f' aria-describedby="capability-{pk}-error"' if row.error else ""
        parts.append(
            f'    <fieldset class="capability__rating"{described}>\n      <legend class="capability__legend">'
            f'<h3 class="capability__name">{name}</h3></legend>\n'
        )
    else:
        parts.append(f'      <h3 class="capability__name">{name}</h3>\n')
    if capability.description:
        parts.append(f'      <p class="capability__about">{escape(capability.description)}</p>\n')
    if page.can_edit and row.rating.carried:
        parts.append(
            format_html(
                '<p class="capability__carried" id="carried-{}"><span class="capability__carried-tag">{}</span> '
                '<span class="capability__carried-hint">Change it if it no longer holds.</span></p>\n',
                pk,
                page.carried_label[:1].upper() + page.carried_label[1:],
            )
        )
    parts.append(_expects_html(row, page))
    if row.error:
        parts.append(_error_html(row, page))
    if page.can_edit:
        parts.append(_answer_form_html(row, page, name))
    elif not page.hide_ratings:
        parts.append(_answer_read_html(row, page))
    if row.plan:  # rare, and the growth room's markup
        context = {"row": row, "is_subject": page.is_subject, "assessment": page.assessment}
        parts.append(render_to_string("assessments/growth/includes/capability_plan.html", context))
    parts.append("  </div>\n")
    if page.show_theirs and not page.theirs_hidden:
        parts.append(_theirs_html(row, page))
    parts.append("</div>\n")
    return mark_safe("".join(parts))  # noqa: S308 -- every text is escaped above; the rest is markup and numbers


def _expects_html(row, page: RowPage) -> str:
    expectation = row.expectation
    description = escape(expectation.description)
    if page.criteria:
        expects = (
            f'        <span class="capability__expects-label">{page.level_name} criteria</span>\n'
            f'        <p class="capability__expects-text criteria-text">{description}</p>\n'
        )
    else:
        bar = render_mastery_bar(expectation.scale_level, page.scale_length)
        expects = f'        <span class="capability__expects-label">{page.level_name} expects</span>\n        {bar}'
        if description:
            expects += f'<p class="capability__expects-text">{description}</p>\n'
    return f'      <div class="capability__expects">\n{expects}{_examples_html(expectation)}      </div>\n'


def _examples_html(expectation) -> SafeString:
    """An expectation's examples in a disclosure (the level page lists them: frameworks/includes/examples.html)."""
    examples = expectation.examples
    if not examples:
        return ""
    return format_html(
        '<details class="examples">\n  <summary class="examples__summary">What this looks like '
        '<span class="examples__count">({} example{})</span></summary>\n'
        '  <ul class="examples__list">{}</ul>\n</details>\n',
        len(examples),
        "" if len(examples) == 1 else "s",
        format_html_join("", "<li>{}</li>", ((example,) for example in examples)),
    )


def _error_html(row, page: RowPage) -> SafeString:
    """A refused save: why, and what is saved now."""
    current = ""
    if row.current:
        rating = row.current
        bar = (
            render_mastery_bar(rating.scale_level, page.scale_length, not_applicable=rating.not_applicable)
            if rating.is_rated
            else "not rated"
        )
        evidence = (
            format_html(", with the evidence “{}”", truncatewords(rating.evidence, 40)) if rating.evidence else ""
        )
        current = format_html(
            '<p class="mb-0">Saved now: {}{}. Saving this page again replaces it with what is below.</p>', bar, evidence
        )
    return format_html(
        '      <div class="capability__error" id="capability-{}-error">\n        <p class="mb-1">{}</p>\n'
        "        {}\n      </div>\n",
        row.capability.pk,
        row.error,
        current,
    )


def _answer_form_html(row, page: RowPage, name: str) -> str:
    """The radios, the evidence, the log to cite from, the revision and the save state. `name`: escaped."""
    pk, expectation = row.capability.pk, row.expectation
    choices = "".join(
        f'        <input type="radio" class="btn-check" name="r{pk}-scale" id="r{pk}-scale-{value}" value="{value}"'
        f"{' checked' if row.scale_value == value else ''}>\n"
        f'        <label class="btn rating-choice" for="r{pk}-scale-{value}">{word}</label>\n'
        for value, word in page.choices
    )
    hint = described = state = ""
    if page.top_rank is not None and expectation.scale_level.rank < page.top_rank:
        hint = (
            f'      <p class="form-text mt-0" id="r{pk}-evidence-hint">Needed for a rating above '
            f"{escape(expectation.scale_level.name)}.</p>\n"
        )
        described = f' aria-describedby="r{pk}-evidence-hint"'
    if row.needs_evidence and not row.error:
        state = format_html(
            '<span class="save-state__hint">Add evidence: {} is above the {} this level expects.</span>',
            row.rating.scale_level.name,
            expectation.scale_level.name,
        )
    log = log_html(row.capability, row.log, page.assessment, page.can_edit, page.log_since) if row.log else ""
    na = " checked" if row.scale_value == "na" else ""
    return (
        f'      <div class="rating-choices">\n{choices}'
        f'        <input type="radio" class="btn-check" name="r{pk}-scale" id="r{pk}-scale-na" value="na"{na}>\n'
        f'        <label class="btn rating-choice rating-choice--na" for="r{pk}-scale-na">Not applicable</label>\n'
        "      </div>\n    </fieldset>\n"
        '    <div class="capability__evidence">\n'
        f'      <label class="form-label" for="r{pk}-evidence">Evidence<span class="visually-hidden"> for {name}</span>'
        f"</label>\n{hint}"
        f'      <textarea class="form-control evidence" name="r{pk}-evidence" id="r{pk}-evidence" rows="3" '
        f'maxlength="20000" data-grow{described}>{escape(row.evidence)}</textarea>\n'
        f"    </div>\n{log}"
        f'    <input type="hidden" name="r{pk}-revision" id="r{pk}-revision" value="{row.revision}">\n'
        f'    <p class="save-state" id="save-{pk}" role="status">{state}</p>\n'
    )


def _rating_bar(rating, page: RowPage) -> SafeString:
    return render_mastery_bar(rating.scale_level, page.scale_length, not_applicable=rating.not_applicable)


def _evidence_text(text: str) -> SafeString:
    """`{{ text|urlize|linebreaksbr }}`: links made clickable, lines kept."""
    return linebreaksbr(urlize(text, autoescape=True), autoescape=True)


def _answer_read_html(row, page: RowPage) -> SafeString:
    """A read-only answer: the rating and the evidence, and what it cites from the log."""
    rating, assessment = row.rating, page.assessment
    if assessment.is_manager_assessment and not page.is_author:
        whose = format_html("{}’s rating", assessment.author.name)
    else:
        whose = "Rating"
    not_rated = mark_safe('<span class="text-body-secondary">Not rated</span>')
    shown = _rating_bar(rating, page) if rating.is_rated else not_rated
    if rating.evidence:
        evidence = _evidence_text(rating.evidence)
    else:
        evidence = mark_safe('<span class="text-body-secondary">None given</span>')
    log = row.log
    return format_html(
        '      <dl class="capability__answer">\n        <div><dt>{}</dt><dd>{}</dd></div>\n'
        '        <div><dt>Evidence</dt><dd class="evidence-text">{}</dd></div>\n      </dl>\n{}',
        whose,
        shown,
        evidence,
        log_html(row.capability, log, assessment, page.can_edit, page.log_since) if log and log.cited else "",
    )


def _theirs_html(row, page: RowPage) -> SafeString:
    """Beside a manager assessment: the person's own rating, evidence and what it cites."""
    pk, theirs = row.capability.pk, row.theirs
    title = "Your own rating" if page.is_subject else format_html("{}’s own rating", page.assessment.subject.name)
    if theirs and theirs.is_rated:
        if theirs.evidence:
            evidence = format_html('<p class="evidence-text mb-0">{}</p>', _evidence_text(theirs.evidence))
        elif not row.theirs_cited:
            evidence = mark_safe('<p class="text-body-secondary mb-0">No evidence given.</p>')
        else:
            evidence = ""
        cited = _theirs_cited_html(row.theirs_cited, page) if row.theirs_cited else ""
        body = format_html('<p class="mb-1">{}</p>\n{}\n{}', _rating_bar(theirs, page), evidence, cited)
    else:
        body = mark_safe('<p class="text-body-secondary mb-0">Not rated.</p>')
    return format_html(
        '  <aside class="capability__theirs" aria-labelledby="theirs-{}">\n'
        '    <h4 class="capability__theirs-title" id="theirs-{}">{}</h4>\n    {}\n  </aside>\n',
        pk,
        pk,
        title,
        body,
    )


def _entry_date(entry, long=False) -> str:
    return date_format(entry.happened_on, "j F Y" if long else "j M Y")


def _link_html(entry) -> SafeString:
    if not entry.link:
        return ""
    return format_html(
        ' <a href="{}" rel="noopener noreferrer">Link<span class="visually-hidden"> for the entry of {}</span></a>',
        entry.link,
        _entry_date(entry, long=True),
    )


def _theirs_cited_html(entries, page: RowPage) -> SafeString:
    """Under the person's own rating: the entries of their evidence log it cites, as cited."""
    whose = "your" if page.is_subject else format_html("{}’s", page.assessment.subject.name)
    items = format_html_join(
        "",
        '    <li class="capability-log__entry">\n      <span class="capability-log__date">{}</span>\n'
        '      <span class="capability-log__text evidence-text">{}</span>{}\n    </li>\n',
        ((_entry_date(entry), linebreaksbr(entry.text, autoescape=True), _link_html(entry)) for entry in entries),
    )
    return format_html(
        '<div class="capability-log capability-log--theirs">\n'
        '  <h5 class="capability-log__title">Cited from {} evidence log</h5>\n'
        '  <ul class="capability-log__list">\n{}  </ul>\n</div>\n',
        whose,
        items,
    )


def log_html(capability, log, assessment, can_edit: bool, log_since=None, *, message="", error="") -> SafeString:
    """A capability's evidence from the person's log: what the rating cites, and (for the person, while it is a draft)
    their entries to cite, each with its button. The page's rows, and the answer to a Cite or Remove (citing.py)."""
    pk = capability.pk
    if not (log.cited or log.offered or log.more or message or error):  # most rows
        return mark_safe(f'<div class="capability-log" id="log-{pk}">\n</div>\n')  # noqa: S308 -- a number
    parts = [format_html('<div class="capability-log" id="log-{}">\n', pk)]
    if error:
        parts.append(format_html('  <p class="capability__error mb-2" role="alert">{}</p>\n', error))
    elif message:
        parts.append(format_html('  <p class="visually-hidden" role="status">{}</p>\n', message))
    cite_url = reverse("assessments:cite", args=[assessment.pk, pk]) if log.cited or log.offered else ""
    if log.cited:
        parts.append(_cited_html(capability, log.cited, cite_url, can_edit))
    if can_edit and (log.offered or log.more):
        parts.append(_offered_html(capability, log, cite_url, log_since, opened=bool(error or message)))
    parts.append("</div>\n")
    return mark_safe("".join(parts))  # noqa: S308 -- every part is format_html's, or fixed markup


def _cite_button_html(capability, entry, cite_url, action: str) -> SafeString:
    words = ("Remove", "from") if action == "remove" else ("Cite", "for")
    style = "btn-link" if action == "remove" else "btn-outline-primary"
    return format_html(
        '<button type="submit" class="btn {style} btn-sm capability-log__button" name="cite" '
        'value="{pk}:{entry}:{action}"\n        hx-post="{url}" hx-trigger="click" '
        'hx-vals=\'{{"entry": "{entry}", "action": "{action}"}}\'\n'
        '        hx-params="entry,action" hx-target="#log-{pk}" hx-swap="outerHTML">'
        '{verb}<span class="visually-hidden"> the entry of {day} {preposition} {name}</span></button>',
        style=style,
        pk=capability.pk,
        entry=entry.pk,
        action=action,
        url=cite_url,
        verb=words[0],
        day=_entry_date(entry, long=True),
        preposition=words[1],
        name=capability.name,
    )


def _cited_html(capability, cited, cite_url, can_edit: bool) -> SafeString:
    items = format_html_join(
        "",
        '    <li class="capability-log__entry">\n      <span class="capability-log__date">{}</span>\n'
        '      <span class="capability-log__text">{}</span>{}\n      {}\n    </li>\n',
        (
            (
                _entry_date(entry),
                truncatechars(entry.text, 240),
                _link_html(entry),
                _cite_button_html(capability, entry, cite_url, "remove") if can_edit else "",
            )
            for entry in cited
        ),
    )
    return format_html(
        '  <h4 class="capability-log__title">Cited from {} evidence log</h4>\n'
        '  <ul class="capability-log__list">\n{}  </ul>\n',
        "your" if can_edit else "the",
        items,
    )


def _offered_html(capability, log, cite_url, log_since, *, opened: bool) -> SafeString:
    count = len(log.offered) + log.more
    since = format_html(" since {}", date_format(log_since, "j F Y")) if log_since else ""
    items = format_html_join(
        "",
        '      <li class="capability-log__entry">\n        <span class="capability-log__date">{}</span>\n'
        '        <span class="capability-log__text">{}</span>\n        {}\n      </li>\n',
        (
            (_entry_date(entry), truncatechars(entry.text, 240), _cite_button_html(capability, entry, cite_url, "cite"))
            for entry in log.offered
        ),
    )
    more = ""
    if log.more:
        more = format_html(
            '    <p class="mb-0"><a href="{}?capability={}">{} older {} in your log</a></p>\n',
            reverse("growth:log"),
            capability.key,
            log.more,
            "entry" if log.more == 1 else "entries",
        )
    return format_html(
        '  <details class="capability-log__offer"{}>\n    <summary>From your evidence log: {} {} for this capability{}'
        '</summary>\n    <ul class="capability-log__list">\n{}    </ul>\n{}  </details>\n',
        " open" if opened else "",
        count,
        "entry" if count == 1 else "entries",
        since,
        items,
        more,
    )
