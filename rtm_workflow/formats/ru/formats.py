"""Russian dates: "7 декабря 2026, 14:30" (FORMAT_MODULE_PATH).

E is the month in the genitive, as a date needs it ("7 декабря", never "7 декабрь").
Separators (decimal comma, non-breaking space) and input formats: Django's."""

DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
