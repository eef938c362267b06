"""The volunteer sign-up's steps as a resident reaches them: ("text", words) or ("press", label)."""

from __future__ import annotations

UID = 4747
CODE = {"zh": "zh-hans", "en": "en"}
TO_NAME = {"zh": [("text", "/volunteer")], "en": [("text", "/volunteer")]}
TO_SKILLS = {"zh": [*TO_NAME["zh"], ("text", "小丽")], "en": [*TO_NAME["en"], ("text", "Lily")]}
TO_COMMUNITY = {
    "zh": [*TO_SKILLS["zh"], ("press", "急救"), ("press", "下一步")],
    "en": [*TO_SKILLS["en"], ("press", "First aid"), ("press", "Next")],
}
TO_GRID = {
    "zh": [*TO_COMMUNITY["zh"], ("press", "新基社区")],
    "en": [*TO_COMMUNITY["en"], ("press", "Xinji Community")],
}
TO_AVAILABLE = {
    "zh": [*TO_GRID["zh"], ("press", "新基第二网格")],
    "en": [*TO_GRID["en"], ("press", "Xinji Grid 2")],
}
TO_CONSENT = {
    "zh": [*TO_AVAILABLE["zh"], ("press", "周末"), ("press", "下一步")],
    "en": [*TO_AVAILABLE["en"], ("press", "Weekends"), ("press", "Next")],
}
