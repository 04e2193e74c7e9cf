"""What came from outside, handled safely: text a file, a package or a person supplied,
and files a user named.

`text` (pure): text made safe to show on a terminal, a page or in JSON (control
characters and bidi overrides as visible escapes), passwords hidden in database URLs,
the rules for learner names. `files`: only regular files are read, and bounded (a
FIFO, a device or /dev/zero is refused at once).

Part of the core: may import nothing of srs_crss but `errors`; everything may use it.
"""
