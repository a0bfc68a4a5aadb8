"""`{% comparison_cells row comparison %}` and `{% promotion_cells row comparison %}`: a capability row's first cells
(assessments/reports/row_html.py)."""

from django import template

from assessments.reports.row_html import comparison_cells_html, promotion_cells_html

register = template.Library()
register.simple_tag(comparison_cells_html, name="comparison_cells")
register.simple_tag(promotion_cells_html, name="promotion_cells")
