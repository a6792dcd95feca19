#!/usr/bin/env python3
"""Hold-out generator: phone photos of filled-in worksheets, deterministic from a seed.

Written from the description in README.md only; it shares no code with the grader or its
simulator. Usage: gen.py --sheets DIR --out DIR --count N --seed S [--jobs J] [--only COND]
"""
import argparse
import json
import math
import os
import sys
from multiprocessing import Pool

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

cv2.setNumThreads(1)

FONT_DIR = "/usr/share/fonts/truetype"
LATIN_FONTS = [
    "dejavu/DejaVuSans.ttf",
    "dejavu/DejaVuSans-Oblique.ttf",
    "dejavu/DejaVuSerif-Italic.ttf",
    "dejavu/DejaVuSansCondensed-Oblique.ttf",
    "dejavu/DejaVuSerif.ttf",
    "dejavu/DejaVuSansMono.ttf",
]
CJK_FONT = "wqy/wqy-microhei.ttc"

# Condition labels: each photo gets one; the label's effect is forced strong, everything else mild.
GRADEABLE = [
    "pen_digits", "handwritten_words", "cjk", "ticks_crosses", "tiny_digits", "near_edge",
    "erasures", "coloured_pens", "pencil_dark", "pencil_light",
    "tilt", "rotation_quarter", "rotation_small", "fold", "curl", "barrel", "hard_shadow",
    "soft_shadow", "uneven_light", "show_through", "clutter", "thumb", "marker_out",
    "res_2mp", "res_12mp", "defocus", "motion_blur", "noise", "demosaic", "sharpen", "hdr",
    "jpeg_low", "exif_orientation",
]
REJECTS = ["reject_blurry", "reject_out_of_frame", "reject_too_small", "reject_not_worksheet"]

# What a person says about a reject, and the grader reasons that say the same thing.
REJECT_REASON = {
    "reject_blurry": ("blurry", ["TOO_BLURRY"]),
    "reject_out_of_frame": ("sheet not in the photo", ["SHEET_NOT_FOUND", "SHEET_GEOMETRY_INCONSISTENT"]),
    "reject_too_small": ("too small", ["RESOLUTION_TOO_LOW"]),
    "reject_not_worksheet": ("not a worksheet", ["SHEET_NOT_FOUND"]),
}

RESOLUTIONS = [(1600, 1200), (2048, 1536), (2592, 1944), (3264, 2448), (4000, 3000)]

PEN_COLOURS = {  # colour of a line of this ink on white paper (multiplied into the paper)
    "blue": (40, 60, 175),
    "black": (28, 28, 36),
    "red": (200, 35, 45),
    "green": (30, 135, 70),
    "darkblue": (25, 35, 110),
}

MATH_ANSWERS = ["12", "5", "18", "3", "42", "56", "63", "39", "7", "3/4", "30", "32", "11", "6", "57", "4"]
WORDS = ["Paris", "mice", "hat", "red", "blue", "cat", "dog", "bat", "mat", "lion", "green",
         "Lyon", "mouses", "horse", "yellow", "tiger"]
CJK_WORDS = ["谢谢", "多谢", "谢谢你", "红色", "猫", "狗", "蓝色"]

# Digit skeletons in a unit cell (x right, y down); several strokes per digit where a pen lifts.
DIGITS = {
    "0": [[(0.5, 0.0), (0.15, 0.2), (0.1, 0.6), (0.35, 1.0), (0.7, 0.95), (0.9, 0.5), (0.8, 0.1), (0.5, 0.0)]],
    "1": [[(0.25, 0.22), (0.55, 0.0), (0.55, 1.0)]],
    "2": [[(0.1, 0.25), (0.35, 0.02), (0.7, 0.03), (0.85, 0.28), (0.65, 0.55), (0.1, 1.0), (0.92, 0.98)]],
    "3": [[(0.1, 0.1), (0.5, 0.0), (0.85, 0.2), (0.5, 0.47), (0.9, 0.72), (0.55, 1.0), (0.1, 0.9)]],
    "4": [[(0.65, 1.0), (0.68, 0.0), (0.05, 0.68), (0.95, 0.68)]],
    "5": [[(0.85, 0.0), (0.22, 0.02)], [(0.22, 0.02), (0.16, 0.45), (0.6, 0.38), (0.9, 0.65), (0.6, 1.0), (0.1, 0.92)]],
    "6": [[(0.8, 0.05), (0.4, 0.1), (0.13, 0.6), (0.3, 1.0), (0.75, 0.95), (0.85, 0.7), (0.5, 0.5), (0.18, 0.68)]],
    "7": [[(0.05, 0.02), (0.95, 0.0), (0.4, 1.0)], [(0.3, 0.5), (0.8, 0.5)]],
    "8": [[(0.5, 0.48), (0.15, 0.25), (0.5, 0.0), (0.85, 0.25), (0.5, 0.48), (0.1, 0.75), (0.5, 1.0), (0.9, 0.75), (0.5, 0.48)]],
    "9": [[(0.85, 0.3), (0.5, 0.5), (0.15, 0.3), (0.5, 0.0), (0.85, 0.25), (0.78, 1.0)]],
    "/": [[(0.8, 0.0), (0.2, 1.0)]],
    ".": [[(0.5, 0.92), (0.55, 0.97)]],
}


# ----------------------------------------------------------------------------------------------
# small helpers


def catmull_rom(pts, n=8):
    """Dense smooth curve through the points (a pen does not draw corners at every sample)."""
    p = np.asarray(pts, dtype=np.float64)
    if len(p) < 3:
        return p
    p = np.vstack([p[0], p, p[-1]])
    out = []
    t = np.linspace(0, 1, n, endpoint=False)[:, None]
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                          + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    out.append(p[-2][None, :])
    return np.vstack(out)


def smoothstep(x):
    x = np.clip(x, 0, 1)
    return x * x * (3 - 2 * x)


def noise_field(rng, shape):
    """Unit Gaussian noise from a random 512x512 tile, rolled and tiled (much cheaper than fresh
    samples for 12 MP, and a repeat every 512 px is invisible under the scene)."""
    t = rng.standard_normal((512, 512) + tuple(shape[2:]), dtype=np.float32)
    t = np.roll(t, (int(rng.integers(512)), int(rng.integers(512))), axis=(0, 1))
    reps = (-(-shape[0] // 512), -(-shape[1] // 512)) + (1,) * (len(shape) - 2)
    return np.tile(t, reps)[: shape[0], : shape[1]]


def low_freq_noise(rng, h, w, cells, amp):
    """Smooth random field: coarse noise upsampled bicubically."""
    g = rng.normal(0, 1, (cells + 3, cells + 3)).astype(np.float32)
    f = cv2.resize(g, (w + 2 * (w // cells), h + 2 * (h // cells)), interpolation=cv2.INTER_CUBIC)
    f = f[h // cells: h // cells + h, w // cells: w // cells + w]
    s = g.std() or 1.0
    return (f / s * amp).astype(np.float32)


class Canvas:
    """A box-local alpha canvas in sheet millimetres at the texture's pixels per millimetre."""

    def __init__(self, x0, y0, w, h, ppm):
        self.x0, self.y0, self.ppm = x0, y0, ppm
        self.a = np.zeros((int(math.ceil(h * ppm)) + 1, int(math.ceil(w * ppm)) + 1), np.uint8)

    def stroke(self, pts_mm, width_mm, rng, pressure=0.25):
        """Draws a polyline with a pen whose width varies along the stroke."""
        pts = np.asarray(pts_mm, np.float64)
        px = (pts - [self.x0, self.y0]) * self.ppm
        n = len(px)
        phase = rng.uniform(0, 6.28)
        step = max(1, n // 12)
        for i in range(0, n - 1, step):
            seg = px[i: min(n, i + step + 1)]
            wv = width_mm * (1 + pressure * math.sin(phase + i * 0.35))
            th = max(1, int(round(wv * self.ppm)))
            cv2.polylines(self.a, [np.round(seg * 16).astype(np.int32)], False, 255, th, cv2.LINE_AA, 4)


def jitter_glyph(strokes, rng, amount):
    return [[(x + rng.normal(0, amount), y + rng.normal(0, amount)) for x, y in s] for s in strokes]


def draw_digits(cv, rng, text, x, y, h, width_mm, slant):
    """Hand-drawn digits: skeletons jittered, sheared, smoothed and stroked; returns the width used."""
    cx = x
    for ch in text:
        strokes = DIGITS.get(ch)
        if strokes is None:
            cx += 0.4 * h
            continue
        cw = h * rng.uniform(0.5, 0.68) if ch not in "1/." else h * 0.35
        g = jitter_glyph(strokes, rng, 0.045)
        rot = rng.normal(0, 0.05)
        for s in g:
            pts = []
            for u, v in s:
                px = cx + u * cw + (1 - v) * h * slant
                py = y + v * h
                pts.append((px + rot * (py - y), py - rot * (px - cx)))
            cv.stroke(catmull_rom(pts, 10), width_mm, rng)
        cx += cw * rng.uniform(1.05, 1.35)
    return cx - x


def draw_cursive(cv, rng, nletters, x, base, xh, width_mm):
    """A handwritten word as connected loops with ascenders and descenders."""
    pts = [(x, base - 0.2 * xh)]
    cx = x
    for _ in range(nletters):
        kind = rng.choice(["x", "x", "x", "asc", "desc"], p=[0.3, 0.2, 0.2, 0.2, 0.1])
        w = xh * rng.uniform(0.55, 0.9)
        top = base - (xh * rng.uniform(1.8, 2.3) if kind == "asc" else xh * rng.uniform(0.85, 1.1))
        bottom = base + (xh * rng.uniform(0.8, 1.1) if kind == "desc" else 0)
        pts += [(cx + 0.55 * w, top), (cx + 0.25 * w, top + 0.25 * (base - top)), (cx + 0.45 * w, bottom),
                (cx + w, base - 0.3 * xh)]
        cx += w
    pts = [(px + rng.normal(0, 0.06 * xh), py + rng.normal(0, 0.06 * xh)) for px, py in pts]
    cv.stroke(catmull_rom(pts, 8), width_mm, rng, pressure=0.35)
    return cx - x


def font_text(cv, rng, text, font_path, x, y, h, width_mm):
    """Text from a font, bolded to the pen width, warped (shear, rotation, wavy baseline)."""
    ppm = cv.ppm
    size = max(6, int(h * ppm))
    font = ImageFont.truetype(font_path, size)
    l, t, r, b = font.getbbox(text)
    img = Image.new("L", (r - l + size, b - t + size), 0)
    sw = max(0, int(round((width_mm * ppm - size * 0.09) / 2)))
    ImageDraw.Draw(img).text((size // 2 - l, size // 2 - t), text, fill=255, font=font, stroke_width=sw, stroke_fill=255)
    a = np.asarray(img)
    hh, ww = a.shape
    shear = rng.uniform(-0.25, 0.1)
    ang = rng.normal(0, 0.04)
    m = np.array([[math.cos(ang), shear - math.sin(ang), 0], [math.sin(ang), math.cos(ang), 0]], np.float32)
    m[0, 2] = -shear * hh / 2
    a = cv2.warpAffine(a, m, (ww, hh))
    # wavy baseline
    amp = rng.uniform(0.0, 0.06) * size
    xs = np.arange(ww, dtype=np.float32)
    dy = (amp * np.sin(xs / max(8, ww) * rng.uniform(3, 9) + rng.uniform(0, 6))).astype(np.float32)
    mapx = np.tile(xs, (hh, 1))
    mapy = (np.arange(hh, dtype=np.float32)[:, None] + dy[None, :]).astype(np.float32)
    a = cv2.remap(a, mapx, mapy, cv2.INTER_LINEAR)
    ox = int(round((x - cv.x0) * ppm)) - size // 2
    oy = int(round((y - cv.y0) * ppm)) - size // 2
    y0, x0 = max(0, oy), max(0, ox)
    y1, x1 = min(cv.a.shape[0], oy + hh), min(cv.a.shape[1], ox + ww)
    if y1 > y0 and x1 > x0:
        sub = a[y0 - oy: y1 - oy, x0 - ox: x1 - ox]
        cv.a[y0:y1, x0:x1] = np.maximum(cv.a[y0:y1, x0:x1], sub)
    return (r - l) / ppm


# ----------------------------------------------------------------------------------------------
# the sheet


def load_sheets(folder):
    sheets = {}
    for name in ("math-12", "words-6"):
        layout = json.load(open(os.path.join(folder, name + ".layout.json")))
        grey = cv2.imread(os.path.join(folder, name + ".png"), cv2.IMREAD_GRAYSCALE)
        sheets[name] = (layout, grey)
    return sheets


class Ink:
    def __init__(self, kind, rgb, grey=None, width=0.5):
        self.kind, self.rgb, self.grey, self.width = kind, rgb, grey, width

    def as_dict(self):
        d = {"ink": self.kind, "width_mm": round(self.width, 3)}
        if self.grey is not None:
            d["grey"] = int(self.grey)
        else:
            d["rgb"] = list(self.rgb)
        return d


def apply_ink(tex, cv, ink, paper, rng, strength=1.0):
    """Darkens the texture under the canvas alpha with the ink (pen dye or pencil graphite)."""
    ppm = cv.ppm
    a = cv.a.astype(np.float32) / 255.0 * strength
    if ink.kind == "pencil":
        grain = rng.uniform(0.55, 1.0, a.shape).astype(np.float32)
        grain = cv2.GaussianBlur(grain, (0, 0), 0.6)
        a = a * np.clip(grain * 1.25, 0, 1)
        factor = np.full(3, ink.grey / paper.mean(), np.float32)
    else:
        factor = np.asarray(ink.rgb, np.float32) / 245.0
    x0, y0 = int(round(cv.x0 * ppm)), int(round(cv.y0 * ppm))
    h, w = a.shape
    H, W = tex.shape[:2]
    ys, xs = max(0, y0), max(0, x0)
    ye, xe = min(H, y0 + h), min(W, x0 + w)
    if ye <= ys or xe <= xs:
        return
    aa = a[ys - y0: ye - y0, xs - x0: xe - x0, None]
    region = tex[ys:ye, xs:xe]
    tex[ys:ye, xs:xe] = region * (1 - aa * (1 - factor[None, None, :]))


def choose_ink(rng, cond, legibility):
    """A pen or pencil for one sheet (students keep one pen, sometimes switch)."""
    if cond == "pencil_light":
        grey = rng.uniform(150, 210)
        return Ink("pencil", None, grey, rng.uniform(0.3, 0.5))
    if cond == "pencil_dark":
        return Ink("pencil", None, rng.uniform(100, 140), rng.uniform(0.3, 0.55))
    if cond == "coloured_pens":
        name = rng.choice(["blue", "red", "green", "black"])
        return Ink(name, PEN_COLOURS[name], None, rng.uniform(0.35, 0.8))
    r = rng.random()
    if r < 0.2:
        return Ink("pencil", None, rng.uniform(110, 160), rng.uniform(0.3, 0.55))
    name = rng.choice(["blue", "black", "blue", "darkblue", "red", "green"])
    return Ink(name, PEN_COLOURS[name], None, rng.uniform(0.3, 0.8))


def fill_sheet(rng, cond, layout, tex, ppm, paper, blur_mm, ppm_out):
    """Fills a random subset of boxes like a student; returns the per-box truth."""
    boxes = layout["boxes"]
    r = rng.random()
    if cond in ("erasures", "pencil_light", "pencil_dark", "coloured_pens", "fold", "hard_shadow", "curl"):
        # the condition needs answered and blank boxes side by side to be measured
        p_ans = rng.uniform(0.25, 0.6) if cond in ("erasures", "fold", "hard_shadow", "curl") else rng.uniform(0.5, 0.85)
    elif r < 0.12:
        p_ans = 1.0
    elif r < 0.2:
        p_ans = 0.0
    else:
        p_ans = rng.uniform(0.3, 0.9)
    ink = choose_ink(rng, cond, blur_mm)
    truth = {}
    # A person sees a stroke when it keeps enough contrast after blur and pixel footprint: pencil
    # that would vanish is drawn darker (recorded), so every answered box stays visibly answered.
    footprint = max(blur_mm, 1.3 / ppm_out)
    for b in boxes:
        answered = rng.random() < p_ans
        x, y, w, h = b["x"], b["y"], b["width"], b["height"]
        cv = Canvas(x - 3, y - 3, w + 6, h + 6, ppm)
        info = {"answered": bool(answered)}
        if answered:
            bink = ink if rng.random() < 0.9 else choose_ink(rng, "", blur_mm)
            if bink.kind == "pencil":
                keep = (paper.mean() - bink.grey) * min(1.0, bink.width / footprint)
                if keep < 20:
                    need = 20 * footprint / bink.width
                    info["grey_requested"] = int(bink.grey)
                    bink = Ink("pencil", None, max(60.0, paper.mean() - need), bink.width)
            kind = draw_answer(rng, cond, layout["name"], b, cv, bink)
            info["kind"] = kind
            info.update(bink.as_dict())
            apply_ink(tex, cv, bink, paper, rng)
        else:
            erase_p = 0.9 if cond == "erasures" else 0.12
            if rng.random() < erase_p:
                # An erasure: a faint ghost of what was written and a grey smudge of rubbed graphite.
                ghost = Ink("pencil", None, paper.mean() - rng.uniform(3, 7), 0.4)
                if layout["name"] == "math-12":
                    draw_digits(cv, rng, rng.choice(MATH_ANSWERS), x + 6, y + 5, 11, 0.45, 0.1)
                else:
                    draw_cursive(cv, rng, 5, x + 8, y + 16, 5, 0.45)
                cv.a = cv2.GaussianBlur(cv.a, (0, 0), 0.5 * ppm)
                apply_ink(tex, cv, ghost, paper, rng)
                sm = np.zeros_like(cv.a)
                cxp, cyp = (cv.a.shape[1] * rng.uniform(0.3, 0.7), cv.a.shape[0] * rng.uniform(0.3, 0.7))
                cv2.ellipse(sm, (int(cxp), int(cyp)), (int(w * ppm * rng.uniform(0.15, 0.35)), int(h * ppm * rng.uniform(0.2, 0.4))),
                            rng.uniform(0, 180), 0, 360, 255, -1)
                cv.a = cv2.GaussianBlur(sm, (0, 0), 3 * ppm)
                smudge = Ink("pencil", None, paper.mean() - rng.uniform(4, 10), 1.0)
                apply_ink(tex, cv, smudge, paper, rng)
                info["kind"] = "erasure"
                info["ghost_levels"] = round(float(paper.mean() - ghost.grey), 1)
                info["smudge_levels"] = round(float(paper.mean() - smudge.grey), 1)
            else:
                info["kind"] = "empty"
        truth[b["id"]] = info
    # The student's name on the name line (outside every box).
    if rng.random() < 0.7:
        cv = Canvas(85, 15, 50, 20, ppm)
        draw_cursive(cv, rng, int(rng.integers(4, 8)), 92, 28, 3.2, ink.width)
        apply_ink(tex, cv, ink, paper, rng)
    return truth



def draw_answer(rng, cond, layout_name, b, cv, ink):
    x, y, w, h = b["x"], b["y"], b["width"], b["height"]
    width = ink.width
    if cond == "ticks_crosses" or (cond not in ("pen_digits", "tiny_digits", "near_edge", "cjk", "handwritten_words") and rng.random() < 0.1):
        s = rng.uniform(7, 16)
        px, py = x + rng.uniform(4, w - s - 4), y + rng.uniform(2, h - s - 2)
        if rng.random() < 0.6:
            pts = [(px, py + 0.55 * s), (px + 0.35 * s, py + s), (px + s, py + rng.uniform(0, 0.15) * s)]
            cv.stroke(catmull_rom(jitter_glyph([pts], rng, 0.4)[0], 6), width, rng)
            return "tick"
        cv.stroke(catmull_rom(jitter_glyph([[(px, py), (px + s / 2, py + s / 2), (px + s, py + s)]], rng, 0.3)[0], 5), width, rng)
        cv.stroke(catmull_rom(jitter_glyph([[(px + s, py), (px + s / 2, py + s / 2), (px, py + s)]], rng, 0.3)[0], 5), width, rng)
        return "cross"
    if cond == "tiny_digits":
        th = rng.uniform(2.8, 4.5)
        text = rng.choice(MATH_ANSWERS) if layout_name == "math-12" else rng.choice(["12", "7", "ok", "3"])
        draw_digits(cv, rng, text if text[0].isdigit() else "7", x + rng.uniform(3, w - 12), y + rng.uniform(3, h - th - 3), th,
                    min(width, 0.4), rng.uniform(0, 0.25))
        return "tiny_digits"
    if cond == "near_edge":
        th = rng.uniform(7, 11)
        text = rng.choice(MATH_ANSWERS)
        edge = rng.choice(["left", "right", "top", "bottom"])
        tw = len(text) * th * 0.75
        gap = rng.uniform(0.3, 1.5)
        if edge == "left":
            px, py = x + gap, y + (h - th) / 2
        elif edge == "right":
            px, py = x + w - gap - tw, y + (h - th) / 2
        elif edge == "top":
            px, py = x + rng.uniform(3, w - tw - 3), y + gap
        else:
            px, py = x + rng.uniform(3, w - tw - 3), y + h - gap - th
        draw_digits(cv, rng, text, px, py, th, width, rng.uniform(0, 0.2))
        return "near_edge_" + edge
    if cond == "cjk" or (layout_name == "words-6" and b["id"] == "q4" and rng.random() < 0.6):
        text = rng.choice(CJK_WORDS)
        th = rng.uniform(8, 14)
        font_text(cv, rng, text, os.path.join(FONT_DIR, CJK_FONT), x + rng.uniform(3, 12), y + (h - th) / 2, th, width)
        return "cjk"
    if layout_name == "math-12" and cond != "handwritten_words":
        th = rng.uniform(8, 15)
        text = rng.choice(MATH_ANSWERS)
        draw_digits(cv, rng, text, x + rng.uniform(4, max(5, w - len(text) * th * 0.8 - 2)), y + (h - th) / 2 + rng.normal(0, 1.5), th,
                    width, rng.uniform(-0.05, 0.3))
        if rng.random() < 0.08:  # crossed out and written again: still answered
            cv.stroke(catmull_rom([(x + 3, y + h * 0.5), (x + w * 0.5, y + h * 0.45)], 3), width, rng)
            return "digits_corrected"
        return "digits"
    word = rng.choice(WORDS)
    if rng.random() < 0.5:
        xh = rng.uniform(3.5, 6.5)
        draw_cursive(cv, rng, len(word), x + rng.uniform(3, 10), y + h * 0.65, xh, width)
        return "cursive_word"
    th = rng.uniform(7, 12)
    font = os.path.join(FONT_DIR, LATIN_FONTS[int(rng.integers(len(LATIN_FONTS)))])
    font_text(cv, rng, word if layout_name == "words-6" else rng.choice(["12", "five", "7"]), font, x + rng.uniform(3, 15),
              y + (h - th) / 2, th, width)
    return "font_word"


# ----------------------------------------------------------------------------------------------
# the scene and the camera


def rot(ax, ay, az):
    cx, sx, cy, sy, cz, sz = math.cos(ax), math.sin(ax), math.cos(ay), math.sin(ay), math.cos(az), math.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ rx @ ry


class Camera:
    def __init__(self, W, H, f, R, T, zfun):
        self.W, self.H, self.f, self.R, self.T, self.zfun = W, H, f, R, T, zfun
        self.K = np.array([[f, 0, W / 2], [0, f, H / 2], [0, 0, 1]])
        self.Hm = self.K @ np.column_stack([R[:, 0], R[:, 1], T])
        self.Hinv = np.linalg.inv(self.Hm)

    def project(self, X, Y, curved=True):
        Z = self.zfun(X, Y) if curved else np.zeros_like(X)
        P = self.R @ np.vstack([X.ravel(), Y.ravel(), Z.ravel()]) + self.T[:, None]
        return (self.f * P[0] / P[2] + self.W / 2).reshape(X.shape), (self.f * P[1] / P[2] + self.H / 2).reshape(X.shape)

    def unproject_flat(self, u, v):
        q = self.Hinv @ np.vstack([u.ravel(), v.ravel(), np.ones(u.size)])
        return (q[0] / q[2]).reshape(u.shape), (q[1] / q[2]).reshape(u.shape)

    def unproject(self, u, v):
        X0, Y0 = self.unproject_flat(u, v)
        X, Y = X0.copy(), Y0.copy()
        for _ in range(4):
            pu, pv = self.project(X, Y)
            Xp, Yp = self.unproject_flat(pu, pv)
            X, Y = X + (X0 - Xp), Y + (Y0 - Yp)
        return X, Y

    def ppm_at(self, X, Y):
        e = 0.5
        u0, v0 = self.project(np.array([X]), np.array([Y]))
        u1, v1 = self.project(np.array([X + e]), np.array([Y]))
        u2, v2 = self.project(np.array([X]), np.array([Y + e]))
        det = ((u1 - u0) * (v2 - v0) - (v1 - v0) * (u2 - u0)) / (e * e)
        return float(math.sqrt(abs(det[0])))


def marker_corners(layout):
    W, H, m, s = layout["pageWidth"], layout["pageHeight"], layout["markerMargin"], layout["markerSize"]
    return {
        "tl": [(m, m), (m + s, m), (m + s, m + s), (m, m + s)],
        "tr": [(W - m - s, m), (W - m, m), (W - m, m + s), (W - m - s, m + s)],
        "br": [(W - m - s, H - m - s), (W - m, H - m - s), (W - m, H - m), (W - m - s, H - m)],
        "bl": [(m, H - m - s), (m + s, H - m - s), (m + s, H - m), (m, H - m)],
    }


def inside(u, v, W, H, margin):
    return (u >= margin) & (u <= W - margin) & (v >= margin) & (v <= H - margin)


def distort_inverse(u, v, W, H, k):
    """Barrel distortion: a photo pixel (distorted) to where an ideal lens would have put it."""
    cx, cy = W / 2, H / 2
    rn = math.hypot(cx, cy)
    dx, dy = (u - cx) / rn, (v - cy) / rn
    s = 1 + k * (dx * dx + dy * dy)
    return cx + dx * s * rn, cy + dy * s * rn


def distort_forward(u, v, W, H, k):
    """Ideal position to photo pixel (inverse of distort_inverse, by fixed point)."""
    cx, cy = W / 2, H / 2
    rn = math.hypot(cx, cy)
    ux, uy = (u - cx) / rn, (v - cy) / rn
    dx, dy = ux.copy(), uy.copy()
    for _ in range(10):
        s = 1 + k * (dx * dx + dy * dy)
        dx, dy = ux / s, uy / s
    return cx + dx * rn, cy + dy * rn


def table_background(rng, H, W):
    kind = rng.choice(["wood", "plain", "cloth", "dark"])
    base = {"wood": (120, 85, 55), "plain": (190, 185, 175), "cloth": (70, 90, 120), "dark": (45, 45, 50)}[kind]
    img = np.empty((H, W, 3), np.float32)
    img[:] = np.asarray(base, np.float32) * rng.uniform(0.8, 1.15)
    if kind == "wood":
        ang = rng.uniform(0, math.pi)
        yy, xx = np.mgrid[0:H:4, 0:W:4].astype(np.float32)
        t = xx * math.cos(ang) + yy * math.sin(ang)
        grain = np.sin(t / rng.uniform(4, 12) + 3 * np.sin(t / 97.0 + yy / 211.0) + low_freq_noise(rng, *t.shape, 5, 2.0)) * rng.uniform(4, 9)
        img += cv2.resize(grain.astype(np.float32), (W, H))[:, :, None] * np.array([1, 0.8, 0.6], np.float32)
    img += low_freq_noise(rng, H, W, 6, 10)[:, :, None]
    img += 3 * noise_field(rng, (H, W, 1))
    return img, kind


def draw_clutter(rng, img, avoid_mask, ppm, n):
    """Pens, coins, a phone and loose papers on the table, not over the sheet."""
    H, W = img.shape[:2]
    items = []
    for _ in range(n):
        kind = rng.choice(["pen", "coin", "phone", "paper", "eraser"])
        cx, cy = rng.uniform(0, W), rng.uniform(0, H)
        m = np.zeros((H, W), np.uint8)
        if kind == "pen":
            L = 140 * ppm
            a = rng.uniform(0, math.pi)
            p1 = (int(cx - L / 2 * math.cos(a)), int(cy - L / 2 * math.sin(a)))
            p2 = (int(cx + L / 2 * math.cos(a)), int(cy + L / 2 * math.sin(a)))
            cv2.line(m, p1, p2, 255, max(2, int(9 * ppm)), cv2.LINE_AA)
            col = rng.choice([(30, 60, 180), (200, 200, 40), (20, 20, 20), (220, 220, 220)])
        elif kind == "coin":
            cv2.circle(m, (int(cx), int(cy)), max(3, int(11 * ppm)), 255, -1, cv2.LINE_AA)
            col = (175, 140, 70)
        elif kind == "phone":
            box = cv2.boxPoints(((cx, cy), (70 * ppm, 145 * ppm), rng.uniform(0, 180))).astype(np.int32)
            cv2.fillPoly(m, [box], 255, cv2.LINE_AA)
            col = (25, 25, 30)
        elif kind == "eraser":
            box = cv2.boxPoints(((cx, cy), (20 * ppm, 45 * ppm), rng.uniform(0, 180))).astype(np.int32)
            cv2.fillPoly(m, [box], 255, cv2.LINE_AA)
            col = (230, 120, 140)
        else:
            box = cv2.boxPoints(((cx, cy), (150 * ppm, 200 * ppm), rng.uniform(0, 180))).astype(np.int32)
            cv2.fillPoly(m, [box], 255, cv2.LINE_AA)
            col = (225, 225, 215)
        m = cv2.bitwise_and(m, cv2.bitwise_not(avoid_mask))
        x, y, w, h = cv2.boundingRect(m)
        if w == 0 or h == 0:
            items.append(kind)
            continue
        a = (m[y:y + h, x:x + w].astype(np.float32) / 255)[:, :, None]
        layer = np.empty((h, w, 3), np.float32)
        layer[:] = np.asarray(col, np.float32)
        if kind == "paper":  # printed text lines on the loose paper
            for k in range(int(rng.integers(8, 20))):
                yy = int(cy - 80 * ppm + k * 8 * ppm) - y
                cv2.line(layer, (int(cx - 60 * ppm) - x, yy), (int(cx + rng.uniform(0, 60) * ppm) - x, yy), (60, 60, 60), max(1, int(1.2 * ppm)))
        sub = img[y:y + h, x:x + w]
        sub *= 1 - a
        sub += layer * a
        items.append(kind)
    return items


def render_text_page(rng, ppm):
    """A page of another kind (book, notes): text lines and a drawing, no worksheet markers."""
    W, H = int(210 * ppm), int(297 * ppm)
    img = Image.new("L", (W, H), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(os.path.join(FONT_DIR, LATIN_FONTS[int(rng.integers(len(LATIN_FONTS)))]), max(8, int(4 * ppm)))
    y = 20 * ppm
    words = ["the", "and", "photo", "river", "garden", "of", "history", "under", "light", "number", "because", "table"]
    while y < H - 25 * ppm:
        line = " ".join(rng.choice(words) for _ in range(int(rng.integers(6, 12))))
        d.text((18 * ppm, y), line, fill=int(rng.uniform(10, 60)), font=font)
        y += 7 * ppm
        if rng.random() < 0.05:
            d.rectangle([30 * ppm, y, 150 * ppm, y + 50 * ppm], outline=0, width=max(1, int(0.5 * ppm)))
            d.ellipse([60 * ppm, y + 10 * ppm, 100 * ppm, y + 40 * ppm], fill=90)
            y += 60 * ppm
    return np.asarray(img)


def thumb(rng, img, center, axis_dir, ppm):
    H, W = img.shape[:2]
    L, Wd = rng.uniform(26, 34) * ppm, rng.uniform(17, 21) * ppm
    ang = math.degrees(math.atan2(axis_dir[1], axis_dir[0]))
    m = np.zeros((H, W), np.uint8)
    cx, cy = center
    # thumb from outside the sheet corner, its tip on the corner marker, pointing inward
    reach = rng.uniform(14, 30) * ppm
    tip = (cx + axis_dir[0] * reach, cy + axis_dir[1] * reach)
    ctr = (int(tip[0] - axis_dir[0] * L * 0.5), int(tip[1] - axis_dir[1] * L * 0.5))
    cv2.ellipse(m, ctr, (int(L * 0.55), int(Wd / 2)), ang, 0, 360, 255, -1, cv2.LINE_AA)
    cv2.ellipse(m, (int(ctr[0] - axis_dir[0] * L), int(ctr[1] - axis_dir[1] * L)), (int(L), int(Wd * 0.6)), ang, 0, 360, 255, -1, cv2.LINE_AA)
    a = cv2.GaussianBlur(m, (0, 0), 0.6 * ppm).astype(np.float32) / 255
    skin = np.asarray(rng.choice([(215, 160, 130), (190, 130, 100), (140, 95, 70), (235, 190, 165)]), np.float32)
    shade = cv2.GaussianBlur(m, (0, 0), 4 * ppm).astype(np.float32) / 255
    layer = skin[None, None, :] * (0.65 + 0.4 * shade[:, :, None])
    img[:] = img * (1 - a[:, :, None]) + layer * a[:, :, None]
    return {"thumb_len_mm": round(L / ppm, 1), "thumb_reach_mm": round(reach / ppm, 1)}


def plan(seed, index, cond):
    """All random choices of one photo, from (seed, index)."""
    rng = np.random.default_rng([seed, index, 18])
    p = {"cond": cond}
    res = RESOLUTIONS[int(rng.integers(len(RESOLUTIONS)))]
    if cond == "res_2mp" or cond == "reject_too_small":
        res = RESOLUTIONS[int(rng.integers(2))]
    if cond == "res_12mp":
        res = RESOLUTIONS[4]
    p["res"] = res
    p["tilt_deg"] = rng.uniform(0, 12) if cond != "tilt" else rng.uniform(18, 25)
    p["tilt_dir"] = rng.uniform(0, 2 * math.pi)
    p["roll_deg"] = rng.normal(0, 4)
    if cond == "rotation_quarter":
        p["roll_deg"] += float(rng.choice([90, 180, 270]))
    elif cond == "rotation_small":
        p["roll_deg"] = float(rng.choice([-1, 1]) * rng.uniform(8, 25))
    elif cond == "marker_out":
        p["roll_deg"] = float(rng.choice([-1, 1]) * rng.uniform(9, 18))
    elif rng.random() < 0.08:
        p["roll_deg"] += 180.0
    p["fov_deg"] = rng.uniform(62, 78)
    p["barrel_k"] = 0.0
    if cond == "barrel":
        p["fov_deg"] = rng.uniform(95, 115)
        p["barrel_k"] = rng.uniform(0.08, 0.2)
    lo_ppm, hi_ppm = 3.0, 8.0
    if cond == "res_2mp":
        lo_ppm, hi_ppm = 2.5, 3.4
    if cond == "res_12mp":
        lo_ppm, hi_ppm = 8.0, 10.0
    if cond == "pencil_light":
        lo_ppm = 4.0
    if cond == "reject_too_small":
        lo_ppm, hi_ppm = 0.6, 1.0
    p["ppm_target"] = rng.uniform(lo_ppm, hi_ppm)
    p["defocus_mm"] = rng.uniform(0, 0.12)
    p["motion_mm"] = 0.0
    if cond == "defocus":
        p["defocus_mm"] = rng.uniform(0.3, 0.9)
    if cond == "motion_blur":
        p["motion_mm"] = rng.uniform(0.8, 2.5)
        p["motion_angle"] = rng.uniform(0, 180)
    if cond == "reject_blurry":
        if rng.random() < 0.6:
            p["defocus_mm"] = rng.uniform(3.5, 6.0)
        else:
            p["motion_mm"] = rng.uniform(12, 25)
            p["motion_angle"] = rng.uniform(0, 180)
    if cond == "pencil_light":
        p["defocus_mm"] = rng.uniform(0, 0.08)
    p["noise"] = rng.uniform(1, 4) if cond != "noise" else rng.uniform(6, 12)
    p["demosaic"] = cond == "demosaic" or rng.random() < 0.1
    p["sharpen"] = rng.uniform(0.8, 2.0) if cond == "sharpen" else (rng.uniform(0.2, 0.6) if rng.random() < 0.3 else 0.0)
    p["sharpen_sigma_px"] = rng.uniform(1.0, 2.5)
    p["hdr"] = rng.uniform(0.45, 0.7) if cond == "hdr" else (rng.uniform(0.1, 0.3) if rng.random() < 0.2 else 0.0)
    p["jpeg_q"] = int(rng.integers(40, 56)) if cond == "jpeg_low" else int(rng.integers(60, 96))
    p["exif"] = int(rng.choice([6, 8, 3])) if cond == "exif_orientation" else (6 if rng.random() < 0.1 else 1)
    p["light_grad"] = rng.uniform(0.75, 1.0) if cond != "uneven_light" else rng.uniform(0.35, 0.6)
    p["vignette"] = rng.uniform(0, 0.25) if cond != "uneven_light" else rng.uniform(0.3, 0.5)
    p["exposure"] = rng.uniform(0.85, 1.05)
    p["hard_shadow"] = cond == "hard_shadow"
    p["soft_shadow"] = cond == "soft_shadow" or rng.random() < 0.15
    p["fold"] = cond == "fold" or rng.random() < 0.05
    p["curl_mm"] = rng.uniform(20, 40) if cond == "curl" else (rng.uniform(0, 4) if rng.random() < 0.3 else 0.0)
    p["show_through"] = rng.uniform(0.05, 0.12) if cond == "show_through" else 0.0
    p["clutter"] = int(rng.integers(4, 9)) if cond in ("clutter", "reject_not_worksheet") else int(rng.integers(0, 3))
    p["thumb"] = cond == "thumb"
    p["marker_out"] = cond == "marker_out"
    p["out_of_frame"] = cond == "reject_out_of_frame"
    p["not_worksheet"] = cond == "reject_not_worksheet"
    p["layout"] = "math-12" if rng.random() < 0.6 else "words-6"
    if cond == "cjk":
        p["layout"] = "words-6"
    if cond in ("pen_digits", "tiny_digits"):
        p["layout"] = "math-12"
    return rng, p


def frame_camera(rng, p, layout):
    """Places the sheet in the frame: camera pose, distance for the px/mm, constraints per condition."""
    Wd, Hd = p["res"]
    roll = p["roll_deg"] % 180
    portrait = not (45 < roll < 135)
    W, H = (min(Wd, Hd), max(Wd, Hd)) if portrait else (max(Wd, Hd), min(Wd, Hd))
    f = math.hypot(W, H) / 2 / math.tan(math.radians(p["fov_deg"]) / 2)
    t = math.radians(p["tilt_deg"])
    R = rot(t * math.cos(p["tilt_dir"]), t * math.sin(p["tilt_dir"]), math.radians(p["roll_deg"]))
    PW, PH = layout["pageWidth"], layout["pageHeight"]
    zfun = make_zfun(rng, p, PW, PH)
    mk = marker_corners(layout)
    corners = np.array([(0, 0), (PW, 0), (PW, PH), (0, PH)], float) - [PW / 2, PH / 2]
    boxes = np.array([(b["x"] + dx, b["y"] + dy) for b in layout["boxes"] for dx in (-3, b["width"] + 3)
                      for dy in (-3, b["height"] + 3)], float) - [PW / 2, PH / 2]
    ppm = p["ppm_target"]
    for attempt in range(60):
        z = f / ppm
        if p["marker_out"]:
            # a grid of shifts, in a seeded order: the cut is a narrow band of positions
            shifts = [(a, b) for a in np.linspace(-0.7, 0.7, 60) for b in np.linspace(-0.7, 0.7, 60)]
            # nearest the centre first: a person frames the sheet as well as the cut allows
            jit = rng.uniform(0, 0.05, len(shifts))
            order = np.argsort([math.hypot(a, b) + j for (a, b), j in zip(shifts, jit)])
            tries = [shifts[i] for i in order]
        else:
            tries = [None] * 40
        for sh in tries:
            if sh is not None:
                T = np.array([sh[0] * W / f * z, sh[1] * H / f * z, z])
            elif p["out_of_frame"]:
                T = np.array([rng.uniform(-0.6, 0.6) * W / f * z, rng.uniform(-0.6, 0.6) * H / f * z, z])
            else:
                T = np.array([rng.uniform(-0.15, 0.15) * W / f * z, rng.uniform(-0.15, 0.15) * H / f * z, z])
            cam = Camera(W, H, f, R, T, zfun)
            cu, cv_ = cam.project(corners[:, 0], corners[:, 1], curved=False)
            bu, bv = cam.project(boxes[:, 0], boxes[:, 1], curved=False)
            if p["barrel_k"]:
                cu, cv_ = distort_forward(cu, cv_, W, H, p["barrel_k"])
                bu, bv = distort_forward(bu, bv, W, H, p["barrel_k"])
            mvis = {}
            for name, pts in mk.items():
                a = np.array(pts) - [PW / 2, PH / 2]
                mu, mv = cam.project(a[:, 0], a[:, 1], curved=False)
                if p["barrel_k"]:
                    mu, mv = distort_forward(mu, mv, W, H, p["barrel_k"])
                mvis[name] = int(inside(mu, mv, W, H, 2).sum())
            margin = 0.02 * min(W, H)
            if p["out_of_frame"]:
                # Most of the sheet outside: at most two markers whole in the photo, half the boxes gone.
                full = sum(1 for v in mvis.values() if v == 4)
                bin_ = inside(bu, bv, W, H, 0).mean()
                if full <= 2 and bin_ < 0.45:
                    return cam, W, H, mvis
                continue
            if not inside(bu, bv, W, H, margin).all():
                continue
            if p["marker_out"]:
                bottom = [mvis["br"], mvis["bl"]]
                top_ok = mvis["tl"] == 4 and mvis["tr"] == 4
                if top_ok and min(bottom) <= 1 and max(bottom) == 4:
                    return cam, W, H, mvis
                continue
            if inside(cu, cv_, W, H, margin).all():
                return cam, W, H, mvis
        if p["marker_out"]:
            ppm *= 0.97
        elif not p["out_of_frame"]:
            ppm *= 0.95
        else:
            ppm *= 1.03
    raise RuntimeError("no framing found for %s" % p)


def make_zfun(rng, p, PW, PH):
    """Height of the sheet above the table (mm): curl along one axis, a bump, a fold ridge."""
    amp = p["curl_mm"]
    axis = rng.uniform(0, math.pi)
    ca, sa = math.cos(axis), math.sin(axis)
    bump = rng.uniform(-0.6, 0.6) * amp
    bx, by, bs = rng.uniform(-60, 60), rng.uniform(-100, 100), rng.uniform(40, 80)
    fold = p.get("fold_line")
    if p["fold"]:
        fa = rng.uniform(0, math.pi)
        fx, fy = rng.uniform(-40, 40), rng.uniform(-70, 70)
        fk = math.tan(math.radians(rng.uniform(1.5, 5)))
        p["fold_line"] = fold = (fx, fy, fa, fk)

    def z(X, Y):
        s = (X * ca + Y * sa) / (0.5 * math.hypot(PW, PH))
        out = amp * (s * s) + bump * np.exp(-((X - bx) ** 2 + (Y - by) ** 2) / (2 * bs * bs))
        if fold is not None:
            fx, fy, fa, fk = fold
            d = (X - fx) * -math.sin(fa) + (Y - fy) * math.cos(fa)
            out = out + fk * np.abs(d)
        return out

    return z


def homography_offset_mm(cam, layout, k):
    """How far (sheet mm) the true box corners sit from where the corner-marker homography puts them."""
    PW, PH = layout["pageWidth"], layout["pageHeight"]
    src, dst = [], []
    for pts in marker_corners(layout).values():
        for x, y in pts:
            u, v = cam.project(np.array([x - PW / 2]), np.array([y - PH / 2]))
            if k:
                u, v = distort_forward(u, v, cam.W, cam.H, k)
            src.append((x, y))
            dst.append((u[0], v[0]))
    Hh, _ = cv2.findHomography(np.array(src, np.float64), np.array(dst, np.float64))
    Hi = np.linalg.inv(Hh)
    worst = 0.0
    for b in layout["boxes"]:
        for dx in (0, b["width"]):
            for dy in (0, b["height"]):
                x, y = b["x"] + dx, b["y"] + dy
                u, v = cam.project(np.array([x - PW / 2]), np.array([y - PH / 2]))
                if k:
                    u, v = distort_forward(u, v, cam.W, cam.H, k)
                q = Hi @ np.array([u[0], v[0], 1.0])
                worst = max(worst, math.hypot(q[0] / q[2] - x, q[1] / q[2] - y))
    return worst


def make_photo(sheets, seed, index, cond):
    rng, p = plan(seed, index, cond)
    layout, src = sheets[p["layout"]]
    PW, PH = layout["pageWidth"], layout["pageHeight"]
    cam, W, H, mvis = frame_camera(rng, p, layout)
    centre_ppm = cam.ppm_at(0.0, 0.0)
    box_ppm = [cam.ppm_at(b["x"] + b["width"] / 2 - PW / 2, b["y"] + b["height"] / 2 - PH / 2) for b in layout["boxes"]]
    tex_ppm = float(min(11.8, max(4.0, 1.3 * max(box_ppm))))
    blur_mm = max(2 * p["defocus_mm"], p["motion_mm"])

    # paper: tint, texture, printed ink
    paper = np.array([rng.uniform(228, 245)] * 3, np.float32) + rng.normal(0, 3, 3).astype(np.float32)
    tw, th = int(round(PW * tex_ppm)), int(round(PH * tex_ppm))
    printed = cv2.resize(src, (tw, th), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    black = rng.uniform(0.08, 0.16)
    tex = paper[None, None, :] * (black + (1 - black) * printed)[:, :, None]
    tex += low_freq_noise(rng, th, tw, 10, 1.5)[:, :, None] + 1.2 * noise_field(rng, (th, tw, 1))
    if p["show_through"]:
        other = sheets["words-6" if p["layout"] == "math-12" else "math-12"][1]
        back = cv2.resize(other, (tw, th), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
        back = cv2.GaussianBlur(back[:, ::-1], (0, 0), 0.4 * tex_ppm)
        tex *= (1 - p["show_through"] * (1 - back))[:, :, None]
    truth_boxes = {}
    if not p["not_worksheet"]:
        truth_boxes = fill_sheet(rng, cond, layout, tex, tex_ppm, paper, blur_mm, min(box_ppm))
    else:
        page = render_text_page(rng, tex_ppm)
        page = cv2.resize(page, (tw, th)).astype(np.float32) / 255
        tex = paper[None, None, :] * (0.1 + 0.9 * page)[:, :, None]
    if p["fold"]:
        fx, fy, fa, fk = p["fold_line"]
        yy, xx = np.mgrid[0:th, 0:tw].astype(np.float32)
        d = ((xx / tex_ppm - PW / 2 - fx) * -math.sin(fa) + (yy / tex_ppm - PH / 2 - fy) * math.cos(fa))
        crease_w = rng.uniform(0.15, 0.45)
        crease_dark = rng.choice([-1, 1]) * rng.uniform(8, 22)
        step = rng.uniform(0.03, 0.08)
        tex *= np.where(d > 0, 1 - step, 1.0)[:, :, None].astype(np.float32)
        tex += (crease_dark * np.exp(-(d / crease_w) ** 2) - 0.3 * abs(crease_dark) * np.exp(-((d - 2 * crease_w) / crease_w) ** 2))[:, :, None].astype(np.float32)
        p["fold_crease"] = {"width_mm": round(crease_w, 2), "levels": round(float(crease_dark), 1), "step": round(step, 3)}
        del xx, yy, d
    # pre-filter the texture to the photo's resolution (no aliasing in the resampling)
    ratio = tex_ppm / max(1e-6, min(box_ppm))
    if ratio > 1.4:
        tex = cv2.GaussianBlur(tex, (0, 0), 0.45 * ratio)

    # map every photo pixel to the sheet (coarse grid, then bilinear: the map is smooth)
    step = 4
    gu, gv = np.meshgrid(np.arange(0, W + step, step, dtype=np.float64), np.arange(0, H + step, step, dtype=np.float64))
    uu, vv = (distort_inverse(gu, gv, W, H, p["barrel_k"]) if p["barrel_k"] else (gu, gv))
    X, Y = cam.unproject(uu, vv)
    mx = ((X + PW / 2) * tex_ppm).astype(np.float32)
    my = ((Y + PH / 2) * tex_ppm).astype(np.float32)
    mx = cv2.resize(mx, (gu.shape[1] * step, gu.shape[0] * step), interpolation=cv2.INTER_LINEAR)[:H, :W]
    my = cv2.resize(my, (gu.shape[1] * step, gu.shape[0] * step), interpolation=cv2.INTER_LINEAR)[:H, :W]
    sheet = cv2.remap(tex, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    ones = np.full((th, tw), 255, np.uint8)
    alpha = cv2.remap(ones, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0).astype(np.float32) / 255
    del mx, my, tex
    img, table = table_background(rng, H, W)
    clutter = draw_clutter(rng, img, (alpha > 0.01).astype(np.uint8) * 255, centre_ppm, p["clutter"]) if p["clutter"] else []
    # drop shadow of the sheet on the table
    small = cv2.resize(alpha, (W // 4, H // 4), interpolation=cv2.INTER_AREA)
    sh = cv2.resize(cv2.GaussianBlur(small, (0, 0), max(0.5, 1.5 * centre_ppm / 4)), (W, H))
    img *= (1 - 0.25 * sh)[:, :, None]
    a3 = alpha[:, :, None]
    img *= 1 - a3
    sheet *= a3
    img += sheet
    del sheet, a3, sh

    # light: gradient, vignette, shadows (in the photo: they fall on the scene)
    yy, xx = np.mgrid[0:H:4, 0:W:4].astype(np.float32)
    ga = rng.uniform(0, 2 * math.pi)
    g = (xx - W / 2) * math.cos(ga) + (yy - H / 2) * math.sin(ga)
    g = (g - g.min()) / max(1e-6, (g.max() - g.min()))
    light = p["light_grad"] + (1 - p["light_grad"]) * g
    r2 = ((xx - W / 2) ** 2 + (yy - H / 2) ** 2) / ((W / 2) ** 2 + (H / 2) ** 2)
    light *= 1 - p["vignette"] * r2
    light = cv2.resize(light, (W, H), interpolation=cv2.INTER_LINEAR)
    del xx, yy, g, r2
    shadows = []
    for kind in (["hard"] if p["hard_shadow"] else []) + (["soft"] if p["soft_shadow"] else []):
        bx = layout["boxes"][int(rng.integers(len(layout["boxes"])))]
        cu, cv_ = cam.project(np.array([bx["x"] + bx["width"] * rng.uniform(0.2, 0.8) - PW / 2]),
                              np.array([bx["y"] + bx["height"] * rng.uniform(0.2, 0.8) - PH / 2]))
        a = rng.uniform(0, 2 * math.pi)
        nx, ny = math.cos(a), math.sin(a)
        big = 4 * max(W, H)
        c0 = (cu[0], cv_[0])
        # a half-plane with a slightly bent edge (the edge of a phone, a hand, a window frame)
        pts = [(c0[0] + ny * big, c0[1] - nx * big), (c0[0] - ny * big, c0[1] + nx * big),
               (c0[0] - ny * big + nx * big, c0[1] + nx * big + ny * big), (c0[0] + ny * big + nx * big, c0[1] - nx * big + ny * big)]
        m = np.zeros((H, W), np.uint8)
        cv2.fillPoly(m, [np.round(np.array(pts) * 16).astype(np.int64).astype(np.int32)], 255, cv2.LINE_AA, 4)
        pen_mm = rng.uniform(0.2, 0.9) if kind == "hard" else rng.uniform(8, 35)
        sig = pen_mm * centre_ppm / 2.5
        if kind == "soft":  # smooth: blur at a quarter of the resolution
            mf = cv2.resize(m, (W // 4, H // 4), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
            mf = cv2.resize(cv2.GaussianBlur(mf, (0, 0), sig / 4), (W, H))
        else:
            mf = m.astype(np.float32) / 255
            if sig > 0.3:
                mf = cv2.GaussianBlur(mf, (0, 0), sig)
        depth = rng.uniform(0.3, 0.6) if kind == "hard" else rng.uniform(0.25, 0.5)
        light *= 1 - depth * mf
        shadows.append({"kind": kind, "penumbra_mm": round(pen_mm, 2), "depth": round(depth, 2), "through_box": bx["id"]})
    tint = np.array([1.0, rng.uniform(0.98, 1.01), rng.uniform(0.92, 1.02)], np.float32) * p["exposure"]
    img *= light[:, :, None]
    img *= tint[None, None, :]
    del light

    extras = {}
    if p["thumb"]:
        corner = ["tl", "tr", "br", "bl"][int(rng.integers(4))]
        cxs = {"tl": (0, 0), "tr": (PW, 0), "br": (PW, PH), "bl": (0, PH)}[corner]
        ins = {"tl": (1, 1), "tr": (-1, 1), "br": (-1, -1), "bl": (1, -1)}[corner]
        cu, cv_ = cam.project(np.array([cxs[0] - PW / 2]), np.array([cxs[1] - PH / 2]))
        iu, iv = cam.project(np.array([cxs[0] + ins[0] * 20 - PW / 2]), np.array([cxs[1] + ins[1] * 20 - PH / 2]))
        d = np.array([iu[0] - cu[0], iv[0] - cv_[0]])
        d /= np.linalg.norm(d)
        extras = thumb(rng, img, (cu[0], cv_[0]), d, centre_ppm)
        extras["thumb_corner"] = corner

    # camera: optics, sensor, processing
    if p["defocus_mm"] > 0:
        r = p["defocus_mm"] * centre_ppm
        if r >= 0.7:
            k = np.zeros((int(2 * r) + 3, int(2 * r) + 3), np.float32)
            cv2.circle(k, (k.shape[1] // 2, k.shape[0] // 2), int(round(r)), 1, -1, cv2.LINE_AA)
            img = cv2.filter2D(img, -1, k / k.sum())
        elif r > 0.2:
            img = cv2.GaussianBlur(img, (0, 0), r)
    if p["motion_mm"] > 0:
        L = max(2, int(round(p["motion_mm"] * centre_ppm)))
        k = np.zeros((L + 2, L + 2), np.float32)
        a = math.radians(p["motion_angle"])
        c = (L + 1) / 2
        cv2.line(k, (int(c - L / 2 * math.cos(a)), int(c - L / 2 * math.sin(a))), (int(c + L / 2 * math.cos(a)), int(c + L / 2 * math.sin(a))), 1, 1, cv2.LINE_AA)
        img = cv2.filter2D(img, -1, k / k.sum())
    np.minimum(img, 255, out=img)
    np.maximum(img, 0, out=img)
    if p["demosaic"]:
        # RGGB mosaic, noise on the raw samples, bilinear interpolation (OpenCV's plain Bayer)
        raw = np.empty((H, W), np.float32)
        raw[0::2, 0::2] = img[0::2, 0::2, 0]
        raw[0::2, 1::2] = img[0::2, 1::2, 1]
        raw[1::2, 0::2] = img[1::2, 0::2, 1]
        raw[1::2, 1::2] = img[1::2, 1::2, 2]
        raw += noise_field(rng, raw.shape) * (p["noise"] * np.sqrt(np.maximum(raw, 1) / 128))
        raw8 = np.clip(raw, 0, 255).astype(np.uint8)
        img = cv2.cvtColor(raw8, cv2.COLOR_BayerRG2RGB).astype(np.float32)
    else:
        sig = np.sqrt(np.maximum(img, 1) * (p["noise"] ** 2 / 128))
        n = noise_field(rng, img.shape)
        n *= sig
        img += n
        del n, sig
    if p["hdr"]:
        lum = np.maximum(img.mean(axis=2), 1)
        lg = np.log(lum)
        base = cv2.GaussianBlur(lg, (0, 0), 0.04 * math.hypot(W, H))
        target = base * (1 - p["hdr"]) + float(base.mean()) * p["hdr"] + (lg - base) * (1 + 0.5 * p["hdr"])
        img *= np.exp(target - lg)[:, :, None]
    if p["sharpen"]:
        bl = cv2.GaussianBlur(img, (0, 0), p["sharpen_sigma_px"])
        img = img + p["sharpen"] * (img - bl)
    img += 0.5
    np.minimum(img, 255, out=img)
    np.maximum(img, 0, out=img)
    out = img.astype(np.uint8)
    del img

    truth = {
        "condition": cond, "seed": seed, "index": index,
        "layout": None if p["not_worksheet"] else layout["name"],
        "width": W, "height": H,
        "px_per_mm": round(centre_ppm, 2), "px_per_mm_boxes_min": round(min(box_ppm), 2),
        "markers_in_frame": {k: v == 4 for k, v in mvis.items()},
        "homography_offset_mm": round(homography_offset_mm(cam, layout, p["barrel_k"]), 2),
        "table": table, "clutter": clutter, "shadows": shadows,
    }
    truth.update(extras)
    params = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in p.items() if k not in ("fold_line",)}
    params["res"] = list(params["res"])
    if "fold_line" in p:
        params["fold_line"] = [round(float(x), 3) for x in p["fold_line"]]
    truth["params"] = params
    if cond in REJECTS:
        person, reasons = REJECT_REASON[cond]
        truth.update({"gradeable": False, "reject_reason": person, "accepted_reasons": reasons, "expected_status": "UNREADABLE"})
    else:
        truth["gradeable"] = True
        n = sum(1 for b in truth_boxes.values() if b["answered"])
        truth["expected_status"] = "COMPLETE" if n == len(truth_boxes) else ("BLANK" if n == 0 else "PARTIAL")
    truth["boxes"] = truth_boxes
    return out, truth, p["exif"], p["jpeg_q"]


def save(out, truth, exif, q, path):
    """Stores the pixels as the phone's sensor holds them, with the Orientation tag that undoes it."""
    img = Image.fromarray(out)
    if exif == 6:  # viewer rotates 90 degrees clockwise
        img = img.transpose(Image.Transpose.ROTATE_90)
    elif exif == 8:
        img = img.transpose(Image.Transpose.ROTATE_270)
    elif exif == 3:
        img = img.transpose(Image.Transpose.ROTATE_180)
    ex = Image.Exif()
    ex[0x0112] = exif
    ex[0x010F] = "HoldoutPhone"
    img.save(path, "JPEG", quality=q, exif=ex.tobytes())
    truth["stored_orientation_tag"] = exif
    truth["stored_size"] = list(img.size)
    with open(path[:-4] + ".json", "w") as fh:
        json.dump(truth, fh, indent=1, ensure_ascii=False)


def conditions(count, seed):
    """Balanced labels: every condition about equally often, in a seeded order; rejects ~11%."""
    rng = np.random.default_rng([seed, 999])
    n_rej = max(len(REJECTS), int(round(count * 0.11)))
    labels = [REJECTS[i % len(REJECTS)] for i in range(n_rej)]
    labels += [GRADEABLE[i % len(GRADEABLE)] for i in range(count - n_rej)]
    rng.shuffle(labels)
    return labels


_SHEETS = None


def _init(folder):
    global _SHEETS
    _SHEETS = load_sheets(folder)


def _one(args):
    seed, index, cond, outdir = args
    path = os.path.join(outdir, "photo-%04d.jpg" % index)
    if os.path.exists(path) and os.path.exists(path[:-4] + ".json"):
        return path
    try:
        out, truth, exif, q = make_photo(_SHEETS, seed, index, cond)
    except RuntimeError as e:
        # A drawn camera pose that cannot frame the sheet as its condition asks: leave this photo
        # out (the rest of the set stays byte-identical) instead of losing the whole run.
        print("skipped photo-%04d (%s): %s" % (index, cond, str(e)[:60]), file=sys.stderr, flush=True)
        return None
    save(out, truth, exif, q, path)
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sheets", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", default=None, help="generate only this condition (for looking at it)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    labels = conditions(a.count, a.seed)
    work = [(a.seed, i, c, a.out) for i, c in enumerate(labels) if a.only in (None, c)]
    with Pool(a.jobs, initializer=_init, initargs=(a.sheets,)) as pool:
        for k, path in enumerate(pool.imap_unordered(_one, work)):
            if (k + 1) % 25 == 0:
                print("generated %d/%d" % (k + 1, len(work)), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
