"""Evidence files in the window: the evidence dialog of one item, drops, paper-clip counts."""
