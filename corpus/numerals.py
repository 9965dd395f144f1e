"""Chinese numerals (一 … 九十九, 二〇二一) to integers, for labels and dates.

>>> chinese_to_int("十八"), chinese_to_int("二十三"), chinese_to_int("一百零五")
(18, 23, 105)
>>> chinese_digits_to_int("二〇二一")
2021
"""

# The characters of an outline numeral (一、 （十二） 第二十三条): one class for every pattern that reads them.
NUMERAL_CHARS = "一二三四五六七八九十百零〇两"

DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
          "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_to_int(text: str) -> int | None:
    """Value of a positional Chinese numeral such as 十八 or 一百零五; None if it is not one."""
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit = None
    return total + (digit or 0)


def chinese_digits_to_int(text: str) -> int | None:
    """Value of a digit-by-digit numeral such as 二〇二一 (years); None if it is not one."""
    if not text or any(ch not in DIGITS for ch in text):
        return None
    return int("".join(str(DIGITS[ch]) for ch in text))


def int_to_chinese(n: int) -> str:
    """The Chinese numeral for n < 1000, as in 第十八项.

    >>> int_to_chinese(18), int_to_chinese(10), int_to_chinese(27)
    ('十八', '十', '二十七')
    """
    names = "零一二三四五六七八九"
    if n < 10:
        return names[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else names[tens]) + "十" + (names[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return names[hundreds] + "百"
    return names[hundreds] + "百" + ("零" if rest < 10 else "") + (
        int_to_chinese(rest) if rest >= 20 or rest < 10 else "一" + int_to_chinese(rest))
