"""Entry point for ``kdquiz`` and ``python -m kdquiz``."""

from __future__ import annotations


def main() -> None:
    from kdquiz.cli.app import run

    run()


if __name__ == "__main__":
    main()
