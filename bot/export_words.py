"""The `cases export` spreadsheet's words: status, 12345 grade and staff role names as the
street office reads them.

``services.admin.export_rows`` gives the plain ids (a status, grade ids, a role) and puts
these names in their columns: statuses and grades in Chinese and English (`status_zh`,
`status_en`, `evaluation`, `evaluation_en`), the assignee's role in Chinese.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Catalog

# How each language lists grades in one cell.
GRADE_SEPARATORS = {"zh": "、", "en": ", "}


class ExportWords:
    """The catalog's names for the export's columns."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def status(self, status: str) -> tuple[str, str]:
        """(Chinese, English) name of a case status as the office says it.

        Raises:
            CatalogError: the catalog has no `office.status.<status>`.
        """
        key = f"office.status.{status}"
        return self.catalog.t("zh", key), self.catalog.t("en", key)

    def grades(self, grades: Sequence[str]) -> tuple[str | None, str | None]:
        """(Chinese, English) names of 12345 grades (``services.statistics.kpi`` ids), in the
        order given, in one cell each; (None, None) when nobody evaluated."""
        return self._grades("zh", grades), self._grades("en", grades)

    def _grades(self, lang: str, grades: Sequence[str]) -> str | None:
        names = (self.catalog.t(lang, f"evaluation.grade.{grade}") for grade in grades)
        return GRADE_SEPARATORS[lang].join(names) or None

    def role(self, role: str | None) -> str:
        """A staff role's Chinese name (None: the generic "staff")."""
        return self.catalog.t("zh", f"office.role.{role or 'staff'}")
