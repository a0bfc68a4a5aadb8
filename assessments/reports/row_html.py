"""The first cells of a capability's row on the comparison page and in the promotion report, as HTML put together here
rather than by the templates: a report prints a row per capability, each five cells and four mastery bars, and the
template tags per cell were most of what was left of the pages' time. The markup is the templates' own, unchanged;
the agreed rating's form, the evidence and the feedback stay in the templates.
"""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from assessments.reports.comparison import Comparison, Row
from frameworks.templatetags.mastery import rating_bar, render_mastery_bar


def _name_cell(row: Row, attributes: str, after_name: str = "") -> str:
    capability = row.capability
    return (
        f'<th scope="row"{attributes}><span class="report-row__area">'
        f"{conditional_escape(capability.area.name)}</span>{conditional_escape(capability.name)}{after_name}</th>"
    )


def _answer_cell(label: str, shown: bool, answer: tuple, length: int, unshown: str) -> str:
    content = rating_bar(answer, length, compact=True) if shown else f'<span class="report-unrated">{unshown}</span>'
    return f'<td data-label="{label}">{content}</td>'


def comparison_cells_html(row: Row, comparison: Comparison) -> SafeString:
    """The comparison's name cell and its four bars: expected now, at the target level, self and manager."""
    length = comparison.scale_length
    cells = [
        _name_cell(row, ' class="report-row__name"'),
        f'<td data-label="Expected now">{render_mastery_bar(row.now_scale, length, compact=True)}</td>',
        f'<td data-label="At {conditional_escape(comparison.level.name)}">'
        f"{render_mastery_bar(row.target_scale, length, compact=True)}</td>",
        _answer_cell("Self", comparison.has_self, row.self_answer, length, "None to show"),
        _answer_cell("Manager", comparison.has_manager, row.manager_answer, length, "None to show"),
    ]
    return mark_safe("\n".join(cells))  # noqa: S308 -- every text above is escaped; the rest is fixed markup


def promotion_cells_html(row: Row, comparison: Comparison) -> SafeString:
    """The promotion report's name cell (with the gap) and its four bars: expected, self, manager and agreed."""
    length = comparison.scale_length
    gap = f'<span class="report-row__area">{conditional_escape(row.gap_label)}</span>'
    if row.agreed:
        agreed = rating_bar(row.agreed_answer, length, compact=True)
    else:
        agreed = '<span class="report-unrated">As rated</span>'
    cells = [
        _name_cell(row, "", gap),
        f'<td data-label="Expected">{render_mastery_bar(row.target_scale, length, compact=True)}</td>',
        _answer_cell("Self", comparison.has_self, row.self_answer, length, "None"),
        _answer_cell("Manager", comparison.has_manager, row.manager_answer, length, "None"),
        f'<td data-label="Agreed">{agreed}</td>',
    ]
    return mark_safe("\n".join(cells))  # noqa: S308 -- every text above is escaped; the rest is fixed markup
