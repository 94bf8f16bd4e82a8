"""Recommendations & responses: the recommendations table above the Board's response editor.

Open ``view`` for the page (:class:`~ui.recommendations.view.RecommendationsView`), ``model``
for the table model, its columns and roles, and ``response_editor`` for the editor of the
Board's response (saved as soon as it is valid, kept as a draft until then). Import from the
specific module.
"""
