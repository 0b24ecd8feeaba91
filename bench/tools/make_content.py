"""Writes the folder that both image builders turn into a layer.

Usage: make_content.py DIR LABEL [--small]
DIR gets 16 files of 512 KiB of pseudo-random bytes, the same in every call, so gzip cannot shrink
the layer, and version.html, which contains LABEL. Two calls with different labels give two
layers of equal size that differ in one small file. With --small, DIR gets version.html only.
"""

import os
import random
import sys


def main():
    folder, label = sys.argv[1], sys.argv[2]
    small = sys.argv[3:] == ["--small"]
    os.makedirs(folder, exist_ok=True)
    generator = random.Random(20240101)
    for index in range(0 if small else 16):
        with open(os.path.join(folder, "asset-%02d.bin" % index), "wb") as file:
            file.write(generator.randbytes(512 * 1024))
    with open(os.path.join(folder, "version.html"), "w") as file:
        file.write("<html><body><p>%-64s</p></body></html>\n" % label)


if __name__ == "__main__":
    main()
