#!/usr/bin/env python3
"""gen_pack.py: writes large, valid content packs for the loading benchmark (tools/bench/load.sh).

    gen_pack.py slides OUT_DIR TOTAL_SLIDES SLIDES_PER_FILE
        topics of 10 slides each, SLIDES_PER_FILE slides to a JSON file; when the files would
        exceed the 100 a pack may include, they are spread over several packs under OUT_DIR.
    gen_pack.py keys OUT_DIR KEYS
        one pack whose pack.json holds KEYS extra "x-" note keys in its top object.

Every slide has the same shape, so 10 times the slides is 10 times the bytes, and time per byte can
be compared between sizes.
"""
import json
import os
import sys

SLIDES_PER_TOPIC = 10
MAX_INCLUDES = 100


def manifest(pack_id, includes):
    return {
        "format": 1,
        "id": pack_id,
        "title": "Loading benchmark " + pack_id,
        "version": "1.0",
        "language": "en",
        "author": "Blue Align Chiropractic",
        "updated": "2026-01-15",
        "include": includes,
    }


def topic(n):
    slides = [{"heading": "Slide %d.%d" % (n, k),
               "body": "Sit tall and breathe."}
              for k in range(SLIDES_PER_TOPIC)]
    return {"id": "topic-%d" % n, "type": "topic", "title": "Topic %d" % n,
            "summary": "A generated topic.", "section": "care", "slides": slides}


def write(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=0)  # one value a line, as people write it
        f.write("\n")


def slides(out, total, per_file):
    topics_per_file = max(1, per_file // SLIDES_PER_TOPIC)
    files = max(1, total // (topics_per_file * SLIDES_PER_TOPIC))
    topic_no = 0
    for pack_no in range((files + MAX_INCLUDES - 1) // MAX_INCLUDES):
        pack_dir = os.path.join(out, "pack-%d" % pack_no)
        os.makedirs(pack_dir)
        names = []
        for f in range(min(MAX_INCLUDES, files - pack_no * MAX_INCLUDES)):
            names.append("part-%d.json" % f)
            items = [topic(topic_no + k) for k in range(topics_per_file)]
            topic_no += topics_per_file
            write(os.path.join(pack_dir, names[-1]), {"items": items})
        write(os.path.join(pack_dir, "pack.json"), manifest("bench-%d" % pack_no, names))


def keys(out, count):
    pack_dir = os.path.join(out, "pack-keys")
    os.makedirs(pack_dir)
    root = manifest("bench-keys", [])
    root["items"] = [topic(0)]
    for k in range(count):
        root["x-note-%06d" % k] = k
    write(os.path.join(pack_dir, "pack.json"), root)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "slides":
        slides(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) == 4 and sys.argv[1] == "keys":
        keys(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
