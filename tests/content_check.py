#!/usr/bin/python3
"""Checks the bundled content against the clinic's writing guidelines (../shared/content-guidelines.md).

What a JSON Schema and the app's validator cannot judge, but a patient reading the guide would notice:
  - plain language: the Flesch-Kincaid grade of each item's words, and of all of them together
    (the guidelines aim for school grade 6 to 8);
  - honest claims: no "cures", "proven", "safe for everyone" and the like;
  - safety first: every routine's "before you start" card tells people to stop on pain or dizziness and to
    check with their practitioner, and mentions holds when the routine has any;
  - illustrations: at least 30 drawings, none with words, filters, masks, scripts or embedded images;
  - every part of the guide is there: each built-in section has items.

Usage: content_check.py [--require-complete] CONTENT_DIR. With --require-complete the whole-guide checks
(30 drawings, every section present) apply too. Prints a table of reading levels and every problem, ends with
"N passed, N failed" (one check per item and per rule), exit 1 on any failure.
"""
import json
import os
import re
import sys

GRADE_ALL = 8.0      # the guide as a whole
GRADE_ITEM = 9.5     # any one item (a few medical words are unavoidable in some)
BANNED = [r"\bcures?\b", r"\bcured\b", r"\bfix(es)?\b", r"\bproven\b", r"safe for (everyone|all)", r"\bno risks?\b",
          r"risk[- ]free", r"\bguarantee", r"found effective", r"\bmiracle", r"\bheals?\b"]
SVG_FORBIDDEN = ["<text", "<image", "<filter", "<mask", "<script", "<style", "<foreignObject", "xlink:href=\"http"]
SECTIONS = ["care", "posture", "breathing", "exercises", "help", "about"]
# Evidence words that understate "no good evidence" (the guidelines keep "limited evidence" for where trials exist).
UNDERSTATED = [r"research on (this|it) is limited", r"the evidence for (this|them|it) is limited", r"very little evidence",
               r"scientists still debate", r"little research"]
# Claims of an effect that SOT teaches but reviews do not support: a slide that states one says so on the same slide.
AIMS = [r"flow of (cerebrospinal )?fluid", r"support(s)? its flow", r"own healing", r"energy flow", r"stored in organs",
        r"cranial rhythm", r"other body systems", r"baby's position|turn a baby"]
# Conditions the evidence does not support: on "Why people come in" they appear only beside "no good evidence",
# and never as a label on a picture.
NOT_SUPPORTED = [r"digestion", r"sinus", r"dizziness", r"tiredness", r"arthritis", r"pregnan", r"breathing problems"]
# Every red flag of the guidelines, on the "When to get help now" topic (its section shows the emergency number).
RED_FLAGS = [r"bladder or bowel control", r"trouble passing urine", r"leaking of urine|incontinence", r"groin",
             r"leg weakness", r"fever, or after a fall", r"sudden, severe headache", r"fever and a stiff neck",
             r"drooping face", r"arm weakness", r"slurred speech", r"loss of vision", r"chest pain", r"breathless",
             r"weight without trying|weight loss", r"had cancer", r"after neck treatment", r"double vision",
             r"trouble swallowing", r"severe neck pain", r"numbness on one side", r"confusion", r"bleeding",
             r"fluid leaking", r"changes in your vision|vision changes", r"swelling of your face or hands",
             r"baby moves less", r"tummy", r"baby or young child", r"floppiness", r"not feeding",
             r"harming yourself|self-harm", r"crisis line"]
# What the risks topic must say for consent.
RISKS = [r"soreness", r"stiffness", r"tiredness", r"headache", r"a day or two", r"artery", r"stroke", r"every treatment has some risk",
         r"no neck manipulation", r"stop at any time", r"dizziness", r"double vision", r"swallowing", r"one side"]
CONDITION_LABELS = NOT_SUPPORTED + [r"sciatica", r"headache", r"migraine", r"tmj"]

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL " + what)


def syllables(word):
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    n = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    return max(1, n)


def grade(texts):
    words = sentences = syl = 0
    for t in texts:
        parts = [s for s in re.split(r"[.!?;:]+(?:\s|$)", t) if re.search(r"[A-Za-z]", s)]
        sentences += max(1, len(parts))
        for w in re.findall(r"[A-Za-z']+", t):
            words += 1
            syl += syllables(w)
    if words == 0:
        return 0.0, 0
    return 0.39 * words / sentences + 11.8 * syl / words - 15.59, words


def item_texts(item):
    out = [item.get("title", ""), item.get("summary", "")]
    for slide in item.get("slides", []):
        out.append(slide.get("heading", ""))
        body = slide.get("body", [])
        out += [body] if isinstance(body, str) else body
        out += slide.get("bullets", [])
        pic = slide.get("picture") or {}
        out.append(pic.get("caption", ""))
    out += item.get("before_you_start", [])
    for step in item.get("steps", []):
        out += [step.get("name", ""), step.get("instruction", "")]
        out += [p.get("text", "") for p in step.get("phases", [])]
    return [t for t in out if t]


def slide_texts(slide):
    body = slide.get("body", [])
    return " ".join([slide.get("heading", "")] + ([body] if isinstance(body, str) else body) + slide.get("bullets", []))


def check_claims(name, item):
    """The claims rules of the guidelines, one slide (or step) at a time, since a caveat belongs beside its aim."""
    screens = [slide_texts(s) for s in item.get("slides", [])]
    screens += [st.get("name", "") + " " + st.get("instruction", "") for st in item.get("steps", [])]
    for n, text in enumerate(screens):
        for pattern in UNDERSTATED:
            m = re.search(pattern, text, re.IGNORECASE)
            check(m is None, f"{name} screen {n + 1}: says \"{m.group(0) if m else ''}\"; say \"no good evidence\" where reviews find none")
        for pattern in AIMS:
            if re.search(pattern, text, re.IGNORECASE):
                check(re.search(r"no good evidence|not shown|cannot (be )?feel|cannot be felt|no shown effect|have not shown",
                                text, re.IGNORECASE) is not None,
                      f"{name} screen {n + 1}: states \"{pattern}\" without saying on the same screen that the evidence does not support it")
    for n, text in enumerate(screens):
        if re.search(r"call emergency services", text, re.IGNORECASE) and item.get("section") != "help":
            check("when to get help now" in text.lower(),
                  f"{name} screen {n + 1}: says to call emergency services but shows no number; say where it is")
    joined = " ".join(screens)
    if item.get("id") == "clinic-help-now":
        for pattern in RED_FLAGS:
            check(re.search(pattern, joined, re.IGNORECASE) is not None, f"{name}: the red flag \"{pattern}\" is missing")
    if item.get("id") == "care-risks":
        for pattern in RISKS:
            check(re.search(pattern, joined, re.IGNORECASE) is not None, f"{name}: does not say \"{pattern}\"")
    if item.get("id") == "care-sot-compared":
        check(re.search(r"sore", joined) and re.search(r"stroke", joined),
              f"{name}: the Diversified slide must name soreness afterwards and the rare stroke risk of neck thrusts")
    if item.get("id") == "care-why-people-come":
        for n, slide in enumerate(item.get("slides", [])):
            text = slide_texts(slide)
            named = [p for p in NOT_SUPPORTED if re.search(p, text, re.IGNORECASE)]
            if named and "doctor first" not in text.lower():  # symptoms to see a doctor about are not reasons
                check("no good evidence" in text.lower(),
                      f"{name} slide {n + 1}: names {', '.join(named)} as a reason to come in without \"no good evidence\"")
            for c in (slide.get("picture") or {}).get("callouts", []):
                bad = [p for p in CONDITION_LABELS if re.search(p, c["label"], re.IGNORECASE)]
                check(not bad, f"{name} slide {n + 1}: the picture label \"{c['label']}\" is a condition claim; label body parts")


FREQUENCY = r"once|twice|a day|every day|daily|a week|every hour|hour or two|as your practitioner advises"
LYING = r"lie (on your back|face down|on your front)|lie face|on your back|hands and knees|all-fours|kneel"
FLOOR = r"\bmat\b|hands and knees|child's pose|knee to chest|squat|kneel"


def check_routine_cautions(name, item):
    """Cautions the guidelines put on the card itself: how often, pregnancy, thin bones and hip replacements."""
    card = " ".join(item.get("before_you_start", []))
    steps = " ".join(st.get("name", "") + " " + st.get("instruction", "") for st in item.get("steps", []))
    check(re.search(r"how often", card, re.IGNORECASE) is not None, f"{name}: the card must say how often to do it")
    check(re.search(FREQUENCY, item.get("summary", ""), re.IGNORECASE) is not None,
          f"{name}: the summary must say how often to do it")
    check(re.search(r"normal to feel", card + " " + steps, re.IGNORECASE) is None,
          f"{name}: calls a warning sign normal; the card says to stop on dizziness or light-headedness")
    check(re.search(r"16 weeks", card) is None, f"{name}: the first trimester ends at about 13 weeks")
    if re.search(LYING, steps, re.IGNORECASE) and "pregnan" not in item.get("id", ""):
        check(re.search(r"trimester|pregnancy routine", card, re.IGNORECASE) is not None and
              re.search(r"side|chair|pregnancy routine", card, re.IGNORECASE) is not None,
              f"{name}: lies on the back or front, so the card must name the first trimester and offer a side-lying or seated way")
    if re.search(FLOOR, steps, re.IGNORECASE):
        check(re.search(r"osteoporosis|thin bones|hip replacement", card, re.IGNORECASE) is not None,
              f"{name}: goes to the floor or into deep bends, so the card must say who should skip it")


def check_chair_routine(items):
    chair = [it for it in items if it.get("id") == "posture-chair-routine"]
    check(len(chair) == 1, "there is no routine done entirely in a chair (posture-chair-routine)")
    for it in chair:
        steps = it.get("steps", [])
        check(len(steps) == 6, f"the chair routine has {len(steps)} steps, not 6")
        text = " ".join(st.get("instruction", "") for st in steps)
        check(re.search(LYING + r"|stand", text, re.IGNORECASE) is None, "the chair routine leaves the chair")
        for st in steps:
            if st.get("type") == "exercise":
                check(len(st.get("pictures", [])) >= 2, f"chair routine: \"{st.get('name')}\" needs a start and an end pose")


def load_items(pack_dir):
    with open(os.path.join(pack_dir, "pack.json"), encoding="utf-8-sig") as f:
        manifest = json.load(f)
    items = list(manifest.get("items", []))
    for name in manifest.get("include", []):
        with open(os.path.join(pack_dir, name), encoding="utf-8-sig") as f:
            items += json.load(f).get("items", [])
    return manifest, items


def main():
    args = sys.argv[1:]
    complete = "--require-complete" in args
    args = [a for a in args if a != "--require-complete"]
    if len(args) != 1:
        print(__doc__)
        return 2
    root = args[0]
    packs = sorted(d for d in os.listdir(root) if os.path.isfile(os.path.join(root, d, "pack.json")))
    all_texts = []
    sections = {s: 0 for s in SECTIONS}
    drawings = 0
    seen = set()
    everything = []
    print(f"{'item':42} {'words':>6} {'grade':>6}")
    for pack in packs:
        pack_dir = os.path.join(root, pack)
        manifest, items = load_items(pack_dir)
        everything += items
        for item in items:
            name = f"{pack}/{item.get('id')}"
            seen.add(name)
            texts = item_texts(item)
            g, words = grade(texts)
            all_texts += texts
            print(f"{name:42} {words:6d} {g:6.1f}")
            check(g <= GRADE_ITEM, f"{name}: reading grade {g:.1f} is above {GRADE_ITEM}; use shorter sentences and words")
            joined = " ".join(texts)
            for pattern in BANNED:
                m = re.search(pattern, joined, re.IGNORECASE)
                check(m is None, f"{name}: says \"{m.group(0) if m else ''}\"; the guidelines do not allow promises like this")
            check_claims(name, item)
            check(re.search(r"16 weeks", joined) is None, f"{name}: the first trimester ends at about 13 weeks, not 16")
            section = item.get("section") or {"topic": "care", "exercise": "exercises", "breathing": "breathing"}[item["type"]]
            if section in sections:
                sections[section] += 1
            if item.get("type") in ("exercise", "breathing"):
                card = " ".join(item.get("before_you_start", [])).lower()
                check("stop" in card and ("pain" in card or "dizz" in card),
                      f"{name}: the before-you-start card must say to stop on pain or dizziness")
                check("practitioner" in card, f"{name}: the before-you-start card must say to check with the practitioner")
                check_routine_cautions(name, item)
                has_holds = any(st.get("hold") for st in item.get("steps", [])) or any(
                    ph.get("breath") == "hold" for st in item.get("steps", []) for ph in st.get("phases", []))
                if has_holds:
                    check("hold" in card, f"{name}: has holds, so its card must say to skip them if uncomfortable")
        for dirpath, _, files in os.walk(pack_dir):
            for f in files:
                if f.lower().endswith(".svg"):
                    drawings += 1
                    with open(os.path.join(dirpath, f), encoding="utf-8") as svg:
                        text = svg.read()
                    bad = [x for x in SVG_FORBIDDEN if x in text]
                    check(not bad, f"{os.path.join(dirpath, f)}: contains {', '.join(bad)}; drawings carry no words or effects")
    g, words = grade(all_texts)
    print(f"{'all content':42} {words:6d} {g:6.1f}")
    check(g <= GRADE_ALL, f"the whole guide reads at grade {g:.1f}; aim for 6 to 8")
    if complete:
        check(drawings >= 30, f"only {drawings} drawings; the guide needs at least 30")
        check_chair_routine(everything)
        for required in ("clinic/clinic-help-now", "your-care/care-risks"):
            check(required in seen, f"{required} is missing; the guidelines require it")
        for s, n in sections.items():
            check(n > 0, f"section \"{s}\" has no items")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
