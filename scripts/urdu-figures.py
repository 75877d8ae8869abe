#!/usr/bin/env python3
"""Urdu versions of the book's figures: static/img/X.svg -> static/img/ur/X.svg with every English label translated.

The English SVGs are the source; this script copies each one, replacing the text of <title> and of every <text> /
<tspan> whose whole content is a key of TRANSLATIONS[file], and writes the result under static/img/ur/ (same file
name, so a figure keeps its label and id in both locales). Symbols and formulas (x0, θ1, K = ...) stay as they are.

    python3 scripts/urdu-figures.py          # regenerate static/img/ur/
    python3 scripts/urdu-figures.py --check  # exit 1 if a file is stale, a translation no longer matches its
                                             # figure, or an English word is left untranslated

Run it after editing an English figure; add the new labels here.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "static" / "img"
DST = SRC / "ur"

# Text that stays as it is on the Urdu figure: symbols, formulas, code names, acronyms the Urdu text also uses.
KEEP = re.compile(
    r"^([^A-Za-z]*|[A-Za-z]?[0-9₀-₉]*|.*=.*|[a-z_]+|/[a-z_/]+|[A-Z]{2,}[0-9A-Z ]*|x⁻, P⁻|a_t.*|\.\.\.|ẋ|mg|z_c|f1|l[12]|[xy][012]|θ[12mj]?|r|α|X|Z|ξ.*|f)$"
)

TRANSLATIONS = {
    "dynamics-control-loop.svg": {
        "Controller": "کنٹرولر",
        "Actuator": "ایکچویٹر",
        "Plant": "پلانٹ",
        "(robot joint)": "(روبوٹ کا جوڑ)",
        "Sensor": "سینسر",
        "reference r": "ریفرنس r",
        "error e": "غلطی e",
        "command u": "حکم u",
        "torque τ": "ٹارک τ",
        "output q": "آؤٹ پٹ q",
        "measured output": "ناپا گیا آؤٹ پٹ",
        "e = r − measured output; the loop repeats every control period Δt":
            "e = r − ناپا گیا آؤٹ پٹ؛ لوپ ہر کنٹرول وقفے Δt پر دہرایا جاتا ہے",
    },
    "humanoid-anatomy-dof.svg": {
        "Neck: 2 (pan, tilt)": "گردن: 2 (دائیں بائیں، اوپر نیچے)",
        "Shoulder: 3": "کندھا: 3",
        "Elbow: 1": "کہنی: 1",
        "Waist / torso: 1 to 3": "کمر / دھڑ: 1 سے 3",
        "Wrist: 3 (arm total 7)": "کلائی: 3 (بازو کل 7)",
        "Hand: 1 to 20+": "ہاتھ: 1 سے 20+",
        "Hip: 3": "کولہا: 3",
        "Knee: 1": "گھٹنا: 1",
        "Ankle: 2 (leg total 6)": "ٹخنہ: 2 (ٹانگ کل 6)",
        "3 DoF": "3 درجاتِ آزادی",
        "2 DoF": "2 درجاتِ آزادی",
        "1 DoF": "1 درجۂ آزادی",
        "hand": "ہاتھ",
        "Legs 12 + arms 14 + torso + neck": "ٹانگیں 12 + بازو 14 + دھڑ + گردن",
    },
    "humanoid-anatomy-sea.svg": {
        "Torque controller": "ٹارک کنٹرولر",
        "Motor": "موٹر",
        "Gearbox": "گیئر باکس",
        "ratio N": "نسبت N",
        "spring k": "اسپرنگ k",
        "Joint + link": "جوڑ + لنک",
        "(load)": "(بوجھ)",
        "encoder θm": "اینکوڈر θm",
        "encoder θj": "اینکوڈر θj",
        "Measured deflection gives the joint torque; the controller drives the motor to hold it at the target.":
            "ناپا گیا جھکاؤ جوڑ کا ٹارک دیتا ہے؛ کنٹرولر موٹر کو چلا کر اسے ہدف پر رکھتا ہے۔",
    },
    "kinematics-frames.svg": {
        "tool frame": "ٹول فریم",
        "base frame": "بیس فریم",
    },
    "kinematics-ik-solutions.svg": {
        "target (x, y)": "ہدف (x, y)",
        "shoulder": "کندھا",
        "elbow up (θ2 < 0)": "کہنی اوپر (θ2 < 0)",
        "elbow down (θ2 > 0)": "کہنی نیچے (θ2 > 0)",
        "Same hand position,": "ہاتھ کی ایک ہی پوزیشن،",
        "two sets of joint angles:": "جوڑوں کے زاویوں کے دو سیٹ:",
        "θ2 differs only in sign": "θ2 میں صرف علامت کا فرق",
    },
    "locomotion-gait-cycle.svg": {
        "left leg": "بائیں ٹانگ",
        "right leg": "دائیں ٹانگ",
        "stance": "سہارا",
        "swing": "جھول",
        "double support": "دوہرا سہارا",
        "ZMP path stays inside each support foot": "ZMP کا راستہ ہر سہارا دینے والے پاؤں کے اندر رہتا ہے",
        "time →": "وقت →",
    },
    "locomotion-lipm.svg": {
        "Linear inverted pendulum: CoM kept at constant height z_c": "خطی الٹا پنڈولم: CoM مستقل اونچائی z_c پر",
        "stance foot": "سہارے کا پاؤں",
        "next step": "اگلا قدم",
        "CoM (x, z_c)": "CoM (x, z_c)",
        "leg force": "ٹانگ کی قوت",
        "p (ZMP)": "p (ZMP)",
        "ξ = x + ẋ/ω (capture point)": "ξ = x + ẋ/ω (کیپچر پوائنٹ)",
        "If ξ leaves the stance foot, the robot must step near ξ to come to rest.":
            "اگر ξ سہارے کے پاؤں سے باہر نکل جائے تو رکنے کے لیے روبوٹ کو ξ کے قریب قدم رکھنا ہو گا۔",
    },
    "manipulation-friction-cone.svg": {
        "gripper palm": "گرپر کی ہتھیلی",
        "finger 1": "انگلی 1",
        "finger 2": "انگلی 2",
        "object": "شے",
        "cone 1": "مخروط 1",
        "cone 2": "مخروط 2",
        "half-angle α = arctan μ (here μ = 0.5, α ≈ 26.6°)": "نصف زاویہ α = arctan μ (یہاں μ = 0.5، α ≈ 26.6°)",
        "dashed: contact normals; the line joining the contacts lies":
            "ڈیش والی لکیریں: رابطے کے عمود؛ رابطوں کو ملانے والی لکیر",
        "inside both cones, so the antipodal grasp is force closure":
            "دونوں مخروطوں کے اندر ہے، اس لیے آمنے سامنے کی گرفت فورس کلوژر ہے",
    },
    "perception-kalman.svg": {
        "1. Predict": "1. پیش گوئی",
        "uncertainty grows": "غیر یقینی بڑھتی ہے",
        "2. Update": "2. تازہ کاری",
        "uncertainty shrinks": "غیر یقینی گھٹتی ہے",
        "next time step: estimate x, P becomes the prior": "اگلا وقتی قدم: تخمینہ x، P پیشگی (prior) بن جاتا ہے",
        "control input u (motion model)": "کنٹرول ان پٹ u (حرکت کا ماڈل)",
        "sensor measurement z": "سینسر کی پیمائش z",
        "estimate": "تخمینہ",
    },
    "perception-pinhole.svg": {
        "optical axis (Z)": "بصری محور (Z)",
        "camera centre C": "کیمرے کا مرکز C",
        "image plane": "تصویر کا مستوی",
        "principal point (cx, cy)": "بنیادی نقطہ (cx, cy)",
        "Z (depth)": "Z (گہرائی)",
    },
    "physical-ai-sense-think-act.svg": {
        "SENSE": "محسوس کرنا",
        "cameras, IMU,": "کیمرے، IMU،",
        "encoders, force": "اینکوڈر، قوت",
        "THINK": "سوچنا",
        "estimate state,": "حالت کا تخمینہ،",
        "plan, decide": "منصوبہ، فیصلہ",
        "ACT": "عمل کرنا",
        "motors apply": "موٹریں لگاتی ہیں",
        "torques": "ٹارک",
        "BODY + WORLD": "جسم + دنیا",
        "gravity, contact, objects, people": "کششِ ثقل، رابطہ، اشیا، لوگ",
        "measurements": "پیمائشیں",
        "commands": "احکام",
        "forces,": "قوتیں،",
        "motion": "حرکت",
        "light, sound,": "روشنی، آواز،",
        "contact, motion": "رابطہ، حرکت",
        "repeats many times per second": "فی سیکنڈ کئی بار دہرایا جاتا ہے",
        "noise and delay enter at every arrow": "ہر تیر پر شور اور تاخیر شامل ہوتی ہے",
        "the loop closes through the physical world": "لوپ طبعی دنیا کے ذریعے بند ہوتا ہے",
    },
    "robot-learning-rl-loop.svg": {
        "Agent": "ایجنٹ",
        "policy π(a | s)": "پالیسی π(a | s)",
        "Environment": "ماحول",
        "robot + world": "روبوٹ + دنیا",
        "action a": "عمل a",
        "(joint targets)": "(جوڑوں کے ہدف)",
        "next state s′": "اگلی حالت s′",
        "reward r": "انعام r",
        "repeat every time step t": "ہر وقتی قدم t پر دہرائیں",
        "goal: maximise return G": "ہدف: ریٹرن G زیادہ سے زیادہ کرنا",
    },
    "ros2-graph.svg": {
        "service /get_map": "سروس /get_map",
        "request / response": "درخواست / جواب",
        "goal": "ہدف",
        "feedback": "فیڈبیک",
        "result": "نتیجہ",
        "action /move_arm": "ایکشن /move_arm",
        "node": "نوڈ",
        "topic (publish / subscribe)": "ٹاپک (پبلش / سبسکرائب)",
        "service": "سروس",
        "action": "ایکشن",
    },
    "safety-layers.svg": {
        "Layers of safety": "حفاظت کی تہیں",
        "Human oversight": "انسانی نگرانی",
        "supervision, approval, reporting, stop button": "نگرانی، منظوری، رپورٹنگ، روکنے کا بٹن",
        "Learned policy": "سیکھی ہوئی پالیسی",
        "proposes actions (RL, imitation, VLA)": "عمل تجویز کرتی ہے (RL، نقل، VLA)",
        "Safety filter and runtime monitor": "حفاظتی فلٹر اور رن ٹائم مانیٹر",
        "CBF projection, anomaly checks, fallback": "CBF پروجیکشن، بے قاعدگی کی جانچ، متبادل",
        "Low-level limits": "نچلی سطح کی حدیں",
        "joint, speed, torque and force limits in drives": "ڈرائیوز میں جوڑ، رفتار، ٹارک اور قوت کی حدیں",
        "Hardware e-stop / safe torque off": "ہارڈویئر ای-اسٹاپ / سیف ٹارک آف",
        "wired stop circuit cuts motor torque": "تار والا اسٹاپ سرکٹ موٹر کا ٹارک کاٹ دیتا ہے",
        "command": "حکم",
        "path": "کا راستہ",
        "each layer": "ہر تہ",
        "may only": "صرف محدود",
        "restrict": "کر سکتی ہے",
        "Lower layers are simpler, more trusted and independent of the layers above.":
            "نچلی تہیں سادہ تر، زیادہ قابلِ اعتماد اور اوپر کی تہوں سے آزاد ہیں۔",
    },
    "simulation-sim-to-real.svg": {
        "Train in many randomised worlds, deploy in one real world":
            "بہت سی بے ترتیب دنیاؤں میں تربیت، ایک حقیقی دنیا میں استعمال",
        "sim-to-real gap": "سم ٹو ریئل خلا",
        "Simulator": "سمولیٹر",
        "new draw every episode": "ہر ایپی سوڈ میں نیا انتخاب",
        "friction μ ~ U(0.5, 1.2)": "رگڑ μ ~ U(0.5, 1.2)",
        "mass m ~ m₀ · U(0.8, 1.2)": "کمیت m ~ m₀ · U(0.8, 1.2)",
        "latency τ ~ U(0, 40 ms)": "تاخیر τ ~ U(0, 40 ms)",
        "noise σ ~ U(0, 0.02)": "شور σ ~ U(0, 0.02)",
        "lighting, textures, ...": "روشنی، ساخت، ...",
        "Policy": "پالیسی",
        "Real robot": "حقیقی روبوٹ",
        "one fixed, unknown world": "ایک مقررہ، نامعلوم دنیا",
        "true friction and mass": "اصل رگڑ اور کمیت",
        "actual motor limits": "موٹر کی اصل حدیں",
        "real delays and jitter": "حقیقی تاخیر اور لرزش",
        "real sensor noise": "سینسر کا حقیقی شور",
        "wear, cables, dust": "گھساؤ، تاریں، گرد",
        "train": "تربیت",
        "deploy": "استعمال",
        "system identification: real measurements re-centre and narrow the ranges":
            "سسٹم کی شناخت: حقیقی پیمائشیں حدود کو نیا مرکز دیتی اور تنگ کرتی ہیں",
    },
    "vla-architecture.svg": {
        "Camera image": "کیمرے کی تصویر",
        "head + wrist RGB": "سر + کلائی RGB",
        "Instruction": "ہدایت",
        "\"put the cup in": "\"کپ کو سنک میں",
        "the sink\"": "رکھ دو\"",
        "Action head": "ایکشن ہیڈ",
        "action tokens, or": "ایکشن ٹوکن، یا",
        "diffusion / flow": "ڈفیوژن / فلو",
        "Action chunk": "ایکشن چنک",
        "H future steps": "H آئندہ قدم",
        "Low-level": "نچلی سطح کا",
        "controller": "کنٹرولر",
        "whole-body": "پورے جسم کا",
        "control, joints": "کنٹرول، جوڑ",
        "new observation after the robot moves": "روبوٹ کے حرکت کرنے کے بعد نیا مشاہدہ",
        "slow loop: a few Hz (large model)": "سست لوپ: چند ہرٹز (بڑا ماڈل)",
        "fast loop:": "تیز لوپ:",
        "hundreds of Hz": "سینکڑوں ہرٹز",
        "Vision-language": "وژن-لینگویج",
        "backbone": "بیک بون",
        "pretrained VLM:": "پہلے سے تربیت یافتہ VLM:",
        "image + text tokens": "تصویر + متن کے ٹوکن",
        "-> transformer": "-> ٹرانسفارمر",
    },
}

# <title> of each figure (read by screen readers when the SVG is opened on its own).
TITLES = {
    "dynamics-control-loop.svg": "فیڈبیک کنٹرول لوپ کا بلاک ڈایاگرام",
    "humanoid-anatomy-dof.svg": "ہیومنائیڈ کے جوڑ اور ان کے درجاتِ آزادی",
    "humanoid-anatomy-sea.svg": "سیریز ایلاسٹک ایکچویٹر کا بلاک ڈایاگرام",
    "kinematics-frames.svg": "دو لنک والے مستوی بازو کے فریم",
    "kinematics-ik-solutions.svg": "ایک ہدف کے لیے کہنی اوپر اور کہنی نیچے کے دو حل",
    "locomotion-gait-cycle.svg": "چال کا چکر: سہارا، جھول اور ZMP کا راستہ",
    "locomotion-lipm.svg": "سہارے کے پاؤں پر خطی الٹا پنڈولم، ZMP اور کیپچر پوائنٹ",
    "manipulation-friction-cone.svg": "دو انگلیوں کی گرفت اور رگڑ کے مخروط",
    "perception-kalman.svg": "کالمن فلٹر کا پیش گوئی اور تازہ کاری کا چکر",
    "perception-pinhole.svg": "پن ہول کیمرا ماڈل اوپر سے",
    "physical-ai-sense-think-act.svg": "محسوس کرنا، سوچنا، عمل کرنا کا لوپ",
    "robot-learning-rl-loop.svg": "ری انفورسمنٹ لرننگ کا لوپ",
    "ros2-graph.svg": "ROS 2 کا کمپیوٹیشن گراف",
    "safety-layers.svg": "حفاظت کی پانچ تہیں",
    "simulation-sim-to-real.svg": "ڈومین رینڈمائزیشن اور سم ٹو ریئل خلا",
    "vla-architecture.svg": "وژن-لینگویج-ایکشن ماڈل کی ساخت",
}

TEXT = re.compile(r"(<(text|tspan)\b[^>]*>)([^<]+)(<)")
TITLE = re.compile(r"<title>[^<]*</title>")


def unescape(s):
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"')


def escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def translate(name, svg, problems):
    table = {k: v for k, v in TRANSLATIONS.get(name, {}).items() if v is not None}
    used = set()

    def sub(m):
        text = unescape(m.group(3))
        key = text.strip()
        if key in table:
            used.add(key)
            # Right-to-left embedding (RLE ... PDF): a label mixing Urdu with symbols (CoM, z_c, 0.5) reads in Urdu
            # order, while `x` and text-anchor keep their meaning, so the label stays where the English one was.
            urdu = "\u202b" + table[key] + "\u202c"
            return m.group(1) + escape(text.replace(key, urdu)) + m.group(4)
        if key and re.search(r"[A-Za-z]{2,}", key) and not KEEP.match(key):
            problems.append(f"{name}: untranslated label {key!r}")
        return m.group(0)

    out = TEXT.sub(sub, svg)
    for key in sorted(set(table) - used):
        problems.append(f"{name}: translation for {key!r} matches no label (figure changed?)")
    if name in TITLES:
        out = TITLE.sub(lambda _: f"<title>{escape(TITLES[name])}</title>", out, count=1)
    else:
        problems.append(f"{name}: no Urdu <title>")
    return out


def main():
    check = "--check" in sys.argv[1:]
    problems, stale = [], []
    DST.mkdir(exist_ok=True)
    for src in sorted(SRC.glob("*.svg")):
        out = translate(src.name, src.read_text(encoding="utf-8"), problems)
        dst = DST / src.name
        if check:
            if not dst.exists() or dst.read_text(encoding="utf-8") != out:
                stale.append(str(dst.relative_to(ROOT)))
        else:
            dst.write_text(out, encoding="utf-8")
    for p in problems + [f"{s}: stale, run scripts/urdu-figures.py" for s in stale]:
        print(p, file=sys.stderr)
    return 1 if problems or stale else 0


if __name__ == "__main__":
    sys.exit(main())
