"""The forms of the pages: their fields, the payload each makes, how each is filled and read back."""
