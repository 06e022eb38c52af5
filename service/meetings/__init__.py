"""The pure domain of a meeting: its data, validation, rules by review year and every computed figure."""
