"""SIREN numbers (French company identifiers): nine digits with a Luhn check digit (INSEE)."""


def normalise_siren(value: str) -> str:
    return "".join(value.split())


def is_valid_siren(value: str) -> bool:
    digits = normalise_siren(value)
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0
