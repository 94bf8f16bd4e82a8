"""A stack of pages each built the first time it is asked for, so start-up builds only the
page it shows (issue 13): the window's start pages and the workspace's views."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QStackedWidget, QWidget


class LazyStack(QStackedWidget):
    """One page per builder: an empty placeholder until the page is first asked for, by
    :meth:`page` or by showing it (:meth:`setCurrentIndex`)."""

    def __init__(self, builders: Sequence[Callable[[], QWidget]]) -> None:
        super().__init__()
        self._builders = list(builders)
        #: The pages built so far, by position.
        self.built_pages: dict[int, QWidget] = {}
        for _builder in self._builders:
            self.addWidget(QWidget())

    def page(self, index: int) -> QWidget:
        """The page at ``index``, built now if it had not been."""
        built = self.built_pages.get(index)
        if built is not None:
            return built
        built = self._builders[index]()
        placeholder = self.widget(index)
        showing = self.currentIndex() == index
        self.insertWidget(index, built)
        if placeholder is not None:
            self.removeWidget(placeholder)
            placeholder.deleteLater()
        if showing:
            super().setCurrentIndex(index)
        self.built_pages[index] = built
        self.page_built(index, built)
        return built

    def page_built(self, index: int, page: QWidget) -> None:
        """Called once a page is built and in its place (nothing here)."""

    def setCurrentIndex(self, index: int) -> None:
        """Show the page at ``index``, building it first if need be."""
        if 0 <= index < self.count():
            self.page(index)
        super().setCurrentIndex(index)
