"""The live preview's follow-ups give way: a newer build started, so what an older one was
still making (data files, the search index, the site check) is moot."""


class GaveWay(Exception):
    """A newer build started (the live preview): what this one was making is moot."""
