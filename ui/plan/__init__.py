"""The Action plan page: recommendations, their actions and milestones as a tree, edited in place.

Open ``view`` for the page (:class:`~ui.plan.view.ActionPlanView`: building it and reloading),
``commands`` for its edit commands (add, delete, indent, link, override RAG, at risk), ``base``
for what they share (cursor, folding, filtering, refusals), ``model`` for the tree model,
``nodes`` for the rows and what their cells say, ``columns`` for the columns, item roles and
cell words, ``filtering`` for the filter proxy, ``tree`` for the tree widget's keys and
``dialogs`` for the small dialogs. Import from the specific module.
"""
