"""活动签到 → 来宾登记: a walk-in guest in four fields, by a keeper or a volunteer.

Name, unit, one of eight category buttons, and optionally the last 4 phone digits — nothing
more (docs/activities.md). Checked here first so a slip is named at once in Chinese; the
station checks again and records the sign-in; the form clears only after it is committed,
ready for the next guest.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.activities.model import MAX_NAME, MAX_UNIT, Category
from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import label, set_role


def category_name(category: Category) -> str:
    """The category's Chinese name, through tr() (context ``Category``)."""
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("Category", category.label)


class ActivityGuestPage(TitledPage):
    screen = Screen.ACTIVITY_GUEST
    back_to = Screen.ACTIVITY_SIGNIN

    guest_submitted = Signal(object)
    """A complete form: dict(name, unit, category, phone_tail) for ``activity_guest``."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("来宾登记"), parent)
        self.setObjectName("ActivityGuestScreen")
        self.busy = False
        self.activity_line = label("", name="ActivityHeader")

        self.name = self._field(self.tr("姓名（必填）"), MAX_NAME, "GuestName")
        self.unit = self._field(self.tr("单位（选填）"), MAX_UNIT, "GuestUnit")
        self.phone = self._field(self.tr("手机尾号 4 位（选填）"), 4, "GuestPhone")
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.phone.setValidator(QRegularExpressionValidator(r"\d{0,4}", self.phone))
        fields = QGridLayout()
        fields.addWidget(self.name, 0, 0)
        fields.addWidget(self.unit, 0, 1)
        fields.addWidget(self.phone, 1, 0)

        self.category_hint = label(self.tr("类别（必选）"), role="body")
        self.categories = QButtonGroup(self)
        self.category_buttons: dict[Category, QPushButton] = {}
        self.category_grid = QGridLayout()
        for category in Category:
            b = QPushButton(category_name(category))
            b.setObjectName(f"Category_{category.value}")
            b.setProperty("role", "choice")
            b.setCheckable(True)
            self.categories.addButton(b)
            self.category_buttons[category] = b
        self._place_categories(4)

        self.error = label("", name="FormError")
        self.error.hide()
        self.submit = QPushButton(self.tr("确认签到"))
        self.submit.setObjectName("GuestSubmit")
        self.submit.setProperty("tone", "green")
        self.submit.clicked.connect(self.send)
        bottom = QHBoxLayout()
        bottom.addWidget(self.error, 1)
        bottom.addWidget(self.submit)

        body = QWidget()
        self.body = QVBoxLayout(body)
        self.body.addWidget(self.activity_line)
        self.body.addLayout(fields)
        self.body.addWidget(self.category_hint)
        self.body.addLayout(self.category_grid)
        self.body.addStretch(1)
        self.body.addLayout(bottom)
        self.set_body(body)

    def _field(self, placeholder: str, limit: int, name: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setPlaceholderText(placeholder)
        field.setMaxLength(limit)
        field.setInputMethodHints(Qt.InputMethodHint.ImhNone)
        field.returnPressed.connect(self.send)
        return field

    def _place_categories(self, columns: int) -> None:
        for i, category in enumerate(Category):
            b = self.category_buttons[category]
            self.category_grid.removeWidget(b)
            self.category_grid.addWidget(b, *divmod(i, columns))

    # -- the form ---------------------------------------------------------------------------

    def chosen_category(self) -> Category | None:
        for category, button in self.category_buttons.items():
            if button.isChecked():
                return category
        return None

    def send(self) -> None:
        if self.busy:
            return
        name = " ".join(self.name.text().split())
        category = self.chosen_category()
        phone = self.phone.text().strip()
        if not name:
            self.show_error(self.tr("请填写姓名"))
            self.name.setFocus()
        elif category is None:
            self.show_error(self.tr("请选择类别"))
        elif phone and (len(phone) != 4 or not phone.isdigit()):
            self.show_error(self.tr("手机尾号要 4 位数字，也可以不填"))
            self.phone.setFocus()
        else:
            self.busy = True
            self.submit.setEnabled(False)
            self.submit.setText(self.tr("正在签到…"))
            self.error.hide()
            self.guest_submitted.emit(
                {
                    "name": name,
                    "unit": " ".join(self.unit.text().split()) or None,
                    "category": category,
                    "phone_tail": phone or None,
                }
            )

    def show_error(self, text: str) -> None:
        self._ready()
        self.error.setText(text)
        set_role(self.error, tone="error")
        self.error.show()

    def show_done(self, text: str) -> None:
        """Committed: say so and clear the form for the next guest."""
        self._ready()
        self.clear()
        self.error.setText(text)
        set_role(self.error, tone="ok")
        self.error.show()

    def _ready(self) -> None:
        self.busy = False
        self.submit.setEnabled(self.activity_line.property("tone") != "closed")
        self.submit.setText(self.tr("确认签到"))

    def clear(self) -> None:
        for field in (self.name, self.unit, self.phone):
            field.clear()
        self.categories.setExclusive(False)
        for button in self.category_buttons.values():
            button.setChecked(False)
        self.categories.setExclusive(True)

    # -- page -------------------------------------------------------------------------------

    def show_activity(self, text: str, is_open: bool) -> None:
        """The activity guests sign in to, or (``is_open`` False) why nobody can now."""
        self.activity_line.setText(text)
        set_role(self.activity_line, tone="open" if is_open else "closed")
        self.submit.setEnabled(is_open and not self.busy)

    def enter(self, payload: Any = None) -> None:
        self.clear()
        self.busy = False
        self.submit.setText(self.tr("确认签到"))
        self.error.hide()
        self.name.setFocus()

    def apply_layout(self, scale: float, portrait: bool) -> None:
        self._place_categories(2 if portrait else 4)
        spacing = round(12 * scale)
        self.category_grid.setSpacing(spacing)
        m = round(20 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(spacing)
