"""The setting of the July 2023 letter to parliament, rebuilt and projected to the end of 2024.

Run it from the repository root::

    python docs/examples/letter_2023.py            # the full tables (about a minute)
    python docs/examples/letter_2023.py --scale 0.05 --draws 50

The code, with every figure's source and every assumption, is in the package:
``dwangsom/examples/letter_2023.py`` (:mod:`dwangsom.examples.letter_2023`), which also runs as
``python -m dwangsom.examples.letter_2023`` and as ``dwangsom project --example 2023`` after a
plain ``pip install``. docs/examples/index.md explains the results.
"""

from dwangsom.examples.letter_2023 import main

if __name__ == "__main__":
    main()
