/** train_data.py: reads the run's data as NetCanvas's loaders in electron/data/ do (same splits, scaling and labels). */
export const TRAIN_DATA_PY = String.raw`"""The data train.py trains on, read as NetCanvas reads it: the same files, splits, scaling and labels."""
import csv
import datetime
import gzip
import json
import math
import os
import re
import struct
import sys
import unicodedata

import numpy as np

M32 = 0xFFFFFFFF


def seeded_random(seed):
    """NetCanvas's seeded generator (Mulberry32), so shuffles and splits repeat exactly."""
    state = [int(seed) % 4294967296]

    def imul(a, b):
        return (a * b) & M32

    def draw():
        state[0] = (state[0] + 0x6D2B79F5) & M32
        t = state[0]
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296

    return draw


def shuffled(count, random):
    order = list(range(count))
    for i in range(count - 1, 0, -1):
        j = int(math.floor(random() * (i + 1)))
        order[i], order[j] = order[j], order[i]
    return np.array(order, dtype=np.int64)


def seeded_order(count, seed):
    return shuffled(count, seeded_random(seed))


def js_round(x):
    return int(math.floor(x + 0.5))


def split_rows(count, test_fraction):
    """Training and test rows: a shuffle seeded with 1, the last test_fraction held out, each part in file order."""
    order = seeded_order(count, 1)
    test_count = max(0, min(js_round(count * test_fraction), count - 1))
    return np.sort(order[: count - test_count]), np.sort(order[count - test_count:])


def fail(message):
    sys.exit("train.py: " + message)


def here(path):
    return path if os.path.isabs(path) else os.path.join(os.path.dirname(os.path.abspath(__file__)), path)


# IDX files (MNIST's format), gzipped or not.

IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in IDX_TYPES:
        fail(f"{path} is not an IDX file.")
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4: 4 + 4 * dims])
    return np.frombuffer(data, dtype=IDX_TYPES[data[2]], offset=4 + 4 * dims).reshape(shape)


def find_idx(folder, base):
    kaggle = re.sub(r"-(idx\d-ubyte)$", r".\1", base)
    for name in (base, base + ".gz", kaggle, kaggle + ".gz"):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    return None


def image_set(images_path, labels_path):
    images = read_idx(images_path)
    if images.ndim == 3:
        images = images[..., None]
    labels = read_idx(labels_path).astype(np.int64) if labels_path else np.zeros(len(images), dtype=np.int64)
    if len(labels) != len(images):
        fail(f"{labels_path} has {len(labels)} labels for {len(images)} images in {images_path}.")
    return images, labels


def load_idx(spec, path):
    if os.path.isdir(path):
        files = [find_idx(path, b) for b in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")]
        if files[0] is None:
            fail(f"{path} has no train-images-idx3-ubyte file.")
        x, y = image_set(files[0], files[1])
        if files[2] and files[3]:
            tx, ty = image_set(files[2], files[3])
            train, test = (x, y), (tx, ty)
        else:
            rows = split_rows(len(x), spec["testFraction"])
            train, test = (x[rows[0]], y[rows[0]]), (x[rows[1]], y[rows[1]])
    else:
        labels = spec.get("labels")
        x, y = image_set(path, here(labels) if labels else None)
        rows = split_rows(len(x), spec["testFraction"])
        train, test = (x[rows[0]], y[rows[0]]), (x[rows[1]], y[rows[1]])
    # Byte pixels are read as [0, 1], as NetCanvas does batch by batch.
    scale = lambda a: a.astype(np.float32) / 255 if a.dtype == np.uint8 else a.astype(np.float32)
    return {"target": "classes", "images": list(x.shape[1:]), "train": (scale(train[0]), train[1]), "test": (scale(test[0]), test[1])}


# Tables NetCanvas has prepared (built-in ones): encoded columns, then the target.

def load_prepared_table(spec):
    def read(name):
        values = np.loadtxt(here(spec[name]), delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
        x = values[:, :-1].astype(np.float32)
        y = values[:, -1]
        return x, (y.astype(np.int64) if spec["target"] == "classes" else y.astype(np.float32)[:, None])

    return {"target": spec["target"], "train": read("train"), "test": read("test")}


def load_arrays(spec):
    def read(name):
        x = np.load(here(spec[name + "X"])).astype(np.float32)
        y = np.load(here(spec[name + "Y"]))
        return x, (y.astype(np.int64) if spec["target"] == "classes" else y.astype(np.float32).reshape(len(y), -1))

    return {"target": spec["target"], "train": read("train"), "test": read("test")}


# CSV and TSV files, with the column types and roles NetCanvas found when the export was written.

MISSING = {"", "na", "n/a", "nan", "null", "?"}
NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
COMMA_NUMBER = re.compile(r"^[+-]?(\d+,\d+|,\d+)([eE][+-]?\d+)?$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?(Z|[+-]\d{2}:?\d{2})?)?$")
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]


def is_missing(cell):
    return cell.strip().lower() in MISSING


def parse_number(cell, decimal_comma):
    s = cell.strip()
    if decimal_comma and COMMA_NUMBER.match(s):
        s = s.replace(",", ".", 1)
    elif not NUMBER.match(s):
        return None
    v = float(s)
    return v if math.isfinite(v) else None


def utc_days(year, month, day):
    try:
        return (datetime.date(year, month, day) - datetime.date(1970, 1, 1)).days
    except ValueError:
        return None


def month_number(name):
    lower = name.lower()
    if len(lower) < 3:
        return None
    for i, m in enumerate(MONTHS):
        if m.startswith(lower):
            return i + 1
    return None


def parse_date(cell):
    s = cell.strip()
    iso = ISO_DATE.match(s)
    if iso:
        day = utc_days(int(iso[1]), int(iso[2]), int(iso[3]))
        if day is None or iso[4] is None:
            return day
        zone = iso[7] or "Z"
        offset = 0 if zone == "Z" else (-1 if zone[0] == "-" else 1) * (int(zone[1:3]) * 60 + int(zone[-2:]))
        minutes = int(iso[4]) * 60 + int(iso[5]) + float(iso[6] or 0) / 60 - offset
        return day + minutes / 1440
    for pattern, order in ((r"^(\d{4})/(\d{1,2})/(\d{1,2})$", (1, 2, 3)), (r"^(\d{1,2})/(\d{1,2})/(\d{4})$", (3, 1, 2)), (r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$", (3, 2, 1))):
        m = re.match(pattern, s)
        if m:
            return utc_days(int(m[order[0]]), int(m[order[1]]), int(m[order[2]]))
    m = re.match(r"^(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})$", s)
    if m and month_number(m[2]):
        return utc_days(int(m[3]), month_number(m[2]), int(m[1]))
    m = re.match(r"^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})$", s)
    if m and month_number(m[1]):
        return utc_days(int(m[3]), month_number(m[1]), int(m[2]))
    return None


def reader_for(column, decimal_comma):
    if column["type"] == "number":
        return lambda cell: None if is_missing(cell) else parse_number(cell, decimal_comma)
    if column["type"] == "date":
        return lambda cell: None if is_missing(cell) else parse_date(cell)
    index = {v: i for i, v in enumerate(column.get("values", []))}
    return lambda cell: None if is_missing(cell) else index.get(cell.strip())


def stats_of(values):
    if not values:
        return 0.0, 1.0, 0.0
    mean = sum(values) / len(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    counts = {}
    most = values[0]
    for v in values:
        counts[v] = counts.get(v, 0) + 1
        if counts[v] > counts[most] or (counts[v] == counts[most] and v < most):
            most = v
    return mean, (std if std > 1e-12 else 1.0), most


def load_csv(spec, path):
    recipe = spec["recipe"]
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    text = text.lstrip("\ufeff")
    if re.match(r"^sep=[,;\t] *(\r\n|\n|\r|$)", text[:16], re.IGNORECASE):
        text = re.sub(r"^[^\r\n]*(\r\n|\n|\r)?", "", text, count=1)
    delimiter = recipe["delimiter"]
    records = [r for r in csv.reader(text.splitlines(), delimiter=delimiter, quotechar='"') if r != []]
    body = records[1:] if recipe["header"] else records
    columns = recipe["columns"]
    used = len(columns)
    rows = [r[:used] for r in body if len(r) >= used and all(c.strip() == "" for c in r[used:])]
    decimal_comma = delimiter == ";"
    readers = [reader_for(c, decimal_comma) for c in columns]
    target = recipe["target"]
    features = recipe["features"]
    codes = recipe["codes"]
    class_target = recipe["classTarget"]
    if class_target and not codes:
        read_target = lambda cell: None if is_missing(cell) else 0
    else:
        read_target = readers[target]

    def class_name(cell):
        if not codes:
            return cell.strip()
        v = read_target(cell)
        return str(int(v)) if float(v).is_integer() else str(v)

    kept = []
    for r in rows:
        if read_target(r[target]) is None:
            continue
        if recipe["missing"] == "drop-row" and any(readers[j](r[j]) is None for j in features):
            continue
        kept.append(r)
    if not kept:
        fail(f"none of the rows of {path} can be used.")
    train_rows, test_rows = split_rows(len(kept), recipe["testFraction"])
    def train_values(j, read):
        return [v for v in (read(kept[k][j]) for k in train_rows) if v is not None]
    stats = {j: stats_of(train_values(j, readers[j])) for j in features}
    def fill(j):
        mean, _, most = stats[j]
        if columns[j]["type"] == "category" or recipe["missing"] == "most-frequent":
            return most
        return mean if recipe["missing"] == "mean" else 0.0
    fills = {j: fill(j) for j in features}
    one_hot = recipe["categories"] == "one-hot"
    width_of = lambda j: len(columns[j]["values"]) if columns[j]["type"] == "category" and one_hot else 1
    width = sum(width_of(j) for j in features)

    def encode(rows_of):
        out = np.zeros((len(rows_of), width), dtype=np.float32)
        for i, k in enumerate(rows_of):
            at = 0
            for j in features:
                v = readers[j](kept[k][j])
                v = fills[j] if v is None else v
                if columns[j]["type"] == "category":
                    if one_hot:
                        out[i, at + int(v)] = 1
                    else:
                        out[i, at] = v
                else:
                    mean, std, _ = stats[j]
                    out[i, at] = (v - mean) / std if recipe["standardize"] else v
                at += width_of(j)
        return out

    if class_target:
        label = {n: i for i, n in enumerate(recipe["classes"])}
        targets = lambda rows_of: np.array([label[class_name(kept[k][target])] for k in rows_of], dtype=np.int64)
    else:
        mean, std, _ = stats_of(train_values(target, readers[target]))
        scale = (lambda v: (v - mean) / std) if recipe["standardize"] else (lambda v: v)
        targets = lambda rows_of: np.array([[scale(readers[target](kept[k][target]))] for k in rows_of], dtype=np.float32)
    return {"target": "classes" if class_target else "values", "train": (encode(train_rows), targets(train_rows)), "test": (encode(test_rows), targets(test_rows))}


# Texts for language models: characters or words, with the tokens NetCanvas used.

WORDS_AND_PUNCTUATION = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[.,!?]")


def read_texts(path):
    if os.path.isdir(path):
        names = sorted((n for n in os.listdir(path) if n.lower().endswith(".txt") and not n.startswith(".")), key=natural_key)
        files = [os.path.join(path, n) for n in names]
    else:
        files = [path]
    texts = []
    for file in files:
        with open(file, "rb") as f:
            raw = f.read()
        encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text.strip():
            texts.append(text.replace("\r\n", "\n").replace("\r", "\n"))
    return texts


# NetCanvas's name order (Intl.Collator "en", numeric): spaces and punctuation, then numbers by
# value, then letters; accents, then case (lower first), decide only between names otherwise equal.
PUNCTUATION_ORDER = " _-,;:!?.'\"()[]{}@*/\\&#%" + chr(96) + "^+<=>|~$"
DIGIT_RUN = re.compile(r"\d+")


def natural_key(name):
    text = unicodedata.normalize("NFD", name)
    primary, accents, cases = [], [], []
    at = 0
    while at < len(text):
        digits = DIGIT_RUN.match(text, at)
        if digits:
            primary.append((1, int(digits.group())))
            at = digits.end()
            continue
        c = text[at]
        at += 1
        marks = ""
        while at < len(text) and unicodedata.combining(text[at]):
            marks += text[at]
            at += 1
        if c.isalpha():
            primary.append((2, c.casefold()))
        else:
            rank = PUNCTUATION_ORDER.find(c)
            primary.append((0, rank if rank >= 0 else len(PUNCTUATION_ORDER) + ord(c)))
        accents.append(marks)
        cases.append(1 if c.isupper() else 0)
    return primary, accents, cases, name


def load_corpus(spec, path):
    tokens = spec["tokens"]
    index = {t: i for i, t in enumerate(tokens)}
    texts = read_texts(path)
    if not texts:
        fail(f"{path} has no readable text.")
    if spec["level"] == "char":
        text = "".join(t + "\n" if i < len(texts) - 1 and not t.endswith("\n") else t for i, t in enumerate(texts))
        train_end = len(text) - js_round(len(text) * spec["testFraction"])
        ids = []
        test_start = None
        for k, c in enumerate(text):
            if k == train_end:
                test_start = len(ids)
            if c in index:
                ids.append(index[c])
        if test_start is None:
            test_start = len(ids)
    else:
        words = [w for t in texts for w in WORDS_AND_PUNCTUATION.findall(t.lower().replace("\u2018", "'").replace("\u2019", "'"))]
        test_start = len(words) - js_round(len(words) * spec["testFraction"])
        ids = [index.get(w, 1) for w in words]
    return {"target": "next-token", "ids": np.array(ids, dtype=np.int64), "testStart": test_start, "stride": spec["stride"], "vocabulary": len(tokens)}


def load_prepared_corpus(spec):
    with open(here(spec["vocabulary"]), encoding="utf-8") as f:
        vocabulary = json.load(f)
    with open(here(spec["text"]), encoding="utf-8", newline="") as f:
        text = f.read()
    index = {t: i for i, t in enumerate(vocabulary["tokens"])}
    ids = np.array([index[c] for c in text], dtype=np.int64)
    return {"target": "next-token", "ids": ids, "testStart": vocabulary["testStart"], "stride": vocabulary["stride"], "vocabulary": len(vocabulary["tokens"])}


# Image folders: one sub-folder of PNG or JPEG images per class, read as NetCanvas's image-folder loader reads them.

SYSTEM_FILES = {"thumbs.db", "desktop.ini", "__macosx"}
TEST_FOLDERS = ("test", "val", "valid", "validation")
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
# Folders of at most this many images are decoded in full before training, so a damaged image is left out.
FULL_CHECK_LIMIT = 2000


def listed(folder):
    """A folder's files and sub-folders, each in name order; hidden and system files left out, links counted as what they lead to."""
    files, folders = [], []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") or entry.name.lower() in SYSTEM_FILES:
                continue
            try:
                if entry.is_dir():
                    folders.append(entry.name)
                elif entry.is_file():
                    files.append(entry.name)
            except OSError:
                pass
    return sorted(files, key=natural_key), sorted(folders, key=natural_key)


def looks_like_image(path):
    """Whether a file starts as a PNG or JPEG does: NetCanvas goes by a file's first bytes, not its name."""
    try:
        with open(path, "rb") as f:
            return f.read(8).startswith(IMAGE_SIGNATURES)
    except OSError:
        return False


def class_folders(root, folder):
    """Each class folder of root/folder with its images in name order; a folder that cannot be read has none."""
    try:
        _, classes = listed(os.path.join(root, folder))
    except OSError:
        return {}
    found = {}
    for name in classes:
        try:
            files, _ = listed(os.path.join(root, folder, name))
        except OSError:
            continue
        found[name] = [f for f in files if looks_like_image(os.path.join(root, folder, name, f))]
    return found


def pillow():
    try:
        from PIL import Image
    except ImportError:
        fail("reading an image folder needs Pillow: pip install pillow")
    return Image


def decode_image(path):
    """A file's 8-bit pixels (height, width, channels) as NetCanvas decodes them: gray, RGB, or RGB and alpha when it has transparency."""
    with pillow().open(path) as image:
        image.load()
        if image.mode.startswith("I"):
            # 16-bit gray: NetCanvas rounds each value / 257 to a byte.
            return np.floor(np.asarray(image, dtype=np.float64) / 257 + 0.5)[..., None]
        if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
            image = image.convert("RGBA")
        elif image.mode in ("1", "L"):
            image = image.convert("L")
        else:
            image = image.convert("RGB")
        pixels = np.asarray(image)
    return pixels if pixels.ndim == 3 else pixels[..., None]


AXIS_WEIGHTS = {}


def axis_weights(source, target):
    """How one axis is resized, as a (target, source) matrix: bilinear between pixel centres down to half the size, beyond that the average of the pixels each output pixel covers."""
    key = (source, target)
    if key not in AXIS_WEIGHTS:
        weights = np.zeros((target, source))
        scale = source / target
        for o in range(target):
            if scale > 2:
                lo, hi = o * scale, (o + 1) * scale
                for i in range(int(math.floor(lo)), min(source, int(math.ceil(hi)))):
                    weights[o, i] += (min(hi, i + 1) - max(lo, i)) / scale
            else:
                centre = min(source - 1, max(0, (o + 0.5) * scale - 0.5))
                i = int(math.floor(centre))
                t = centre - i
                weights[o, i] += 1 - t
                if t > 0:
                    weights[o, i + 1] += t
        AXIS_WEIGHTS[key] = weights
    return AXIS_WEIGHTS[key]


def tensor_pixels(pixels, height, width, color):
    """Decoded pixels as the network reads them: in [0, 1], transparency laid over black, gray as 0.299 R + 0.587 G + 0.114 B, resized to height x width, channels last."""
    values = pixels.astype(np.float64) / 255
    if values.shape[2] == 4:
        values = values[..., :3] * values[..., 3:]
    if color == "gray" and values.shape[2] == 3:
        values = (0.299 * values[..., 0] + 0.587 * values[..., 1] + 0.114 * values[..., 2])[..., None]
    elif color != "gray" and values.shape[2] == 1:
        values = np.repeat(values, 3, axis=2)
    rows = np.tensordot(axis_weights(values.shape[0], height), values, axes=(1, 0))
    resized = np.tensordot(rows, axis_weights(values.shape[1], width), axes=(1, 1))
    return resized.transpose(0, 2, 1).astype(np.float32)


class ImageFiles:
    """A split's images, decoded and resized when asked for (a map-style dataset: len, [i] or [indices]); only the file names are kept."""

    def __init__(self, files, shape, color):
        self.files = files
        self.shape = tuple(shape)
        self.color = color
        self.failed = set()

    def __len__(self):
        return len(self.files)

    def image(self, i):
        try:
            return tensor_pixels(decode_image(self.files[i]), self.shape[0], self.shape[1], self.color)
        except Exception as err:
            if self.files[i] not in self.failed:
                self.failed.add(self.files[i])
                print(f"train.py: {self.files[i]} cannot be read any more ({err}); it is used as an all-black image.", file=sys.stderr)
            return np.zeros(self.shape, dtype=np.float32)

    def __getitem__(self, index):
        if isinstance(index, (int, np.integer)):
            return self.image(int(index))
        indices = np.asarray(index, dtype=np.int64).reshape(-1)
        out = np.empty((len(indices),) + self.shape, dtype=np.float32)
        # Pillow and NumPy let go of Python's lock while they decode and resize, so a batch's images decode side by side.
        for k, image in enumerate(decoding_threads().map(self.image, indices.tolist())):
            out[k] = image
        return out


DECODING_THREADS = []


def decoding_threads():
    if not DECODING_THREADS:
        from concurrent.futures import ThreadPoolExecutor
        DECODING_THREADS.append(ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)))
    return DECODING_THREADS[0]


def decodable(path):
    try:
        decode_image(path)
        return True
    except Exception:
        return False


def image_count(*founds):
    return sum(len(names) for found in founds for names in found.values())


def drop_undecodable(root, folder, found):
    for cls, names in found.items():
        found[cls] = [n for n in names if decodable(os.path.join(root, folder, cls, n))]


def image_entries(root, folder, found, classes):
    return [(os.path.join(root, folder, cls, n), label) for label, cls in enumerate(classes) for n in found.get(cls, [])]


def in_seeded_order(items):
    return [items[i] for i in seeded_order(len(items), 1)]


def split_by_class(entries, classes, test_fraction):
    """The last test_fraction of each class in a seeded order held out, so both parts have every class in proportion; each part then shuffled."""
    train, test = [], []
    for label in range(classes):
        members = [e for e in entries if e[1] == label]
        held = min(len(members) - 1, js_round(len(members) * test_fraction))
        for k, i in enumerate(seeded_order(len(members), 1)):
            (test if k >= len(members) - held else train).append(members[i])
    return in_seeded_order(train), in_seeded_order(test)


def scan_image_folder(root, test_fraction):
    """Classes and (file, label) pairs of training and test: train/ beside test/ (or val/, valid/, validation/); train/ alone; or class folders."""
    try:
        _, top = listed(root)
    except OSError as err:
        fail(f"the image folder {root} cannot be read ({err.strerror}): give the folder that holds one folder of images per class with --data.")
    named = lambda name: next((f for f in top if f.lower() == name), None)
    train_dir = named("train")
    test_dir = next((f for f in map(named, TEST_FOLDERS) if f is not None), None)
    if train_dir and test_dir:
        train_found, test_found = class_folders(root, train_dir), class_folders(root, test_dir)
        if image_count(train_found, test_found) <= FULL_CHECK_LIMIT:
            drop_undecodable(root, train_dir, train_found)
            drop_undecodable(root, test_dir, test_found)
        classes = [c for c, names in train_found.items() if names]
        train = in_seeded_order(image_entries(root, train_dir, train_found, classes))
        return classes, train, in_seeded_order(image_entries(root, test_dir, test_found, classes)), os.path.join(root, train_dir)
    folder = train_dir if train_dir and len(top) == 1 else ""
    found = class_folders(root, folder)
    if image_count(found) <= FULL_CHECK_LIMIT:
        drop_undecodable(root, folder, found)
    classes = [c for c, names in found.items() if names]
    train, test = split_by_class(image_entries(root, folder, found, classes), len(classes), test_fraction)
    return classes, train, test, os.path.join(root, folder)


def load_image_folder(spec, path):
    pillow()
    height, width = spec["size"]
    shape = [height, width, 1 if spec["color"] == "gray" else 3]
    classes, train, test, class_root = scan_image_folder(path, spec["testFraction"])
    if not train:
        fail(f"{class_root} has no class folders with images: put each class's PNG or JPEG images in a sub-folder named after the class.")
    trained = spec.get("classes")
    if trained is not None and classes != trained:
        fail(f"the image folder {path} has the classes {', '.join(classes)}, but the network's outputs are the classes {', '.join(trained)}: give a folder with those class folders with --data.")

    def split(entries):
        return ImageFiles([f for f, _ in entries], shape, spec["color"]), np.array([label for _, label in entries], dtype=np.int64)

    return {"target": "classes", "images": shape, "classes": classes, "train": split(train), "test": split(test)}


# NumPy arrays: the inputs, one example per row of the first axis, and a file of targets.

# Rows of the inputs examined at once while finding what they hold, so a large file is never read whole.
NPY_CHUNK_VALUES = 1 << 24


def npy_numbers(block):
    """Rows of a .npy array as NetCanvas reads them: bytes as they are, every other type as 32-bit floats with NaN and infinities made 0."""
    block = np.asarray(block)
    if block.dtype == np.uint8:
        return block
    with np.errstate(over="ignore", invalid="ignore"):
        values = block.astype(np.float32)
    values[~np.isfinite(values)] = 0
    return values


def npy_range(x):
    """The least and greatest values of an array, and whether all are whole numbers, read a chunk of rows at a time."""
    size = max(1, int(np.prod(x.shape[1:])))
    step = max(1, NPY_CHUNK_VALUES // size)
    lo, hi, whole = math.inf, -math.inf, True
    for start in range(0, x.shape[0], step):
        block = npy_numbers(x[start: start + step])
        lo, hi = min(lo, float(block.min())), max(hi, float(block.max()))
        if whole and block.dtype != np.uint8:
            whole = bool(np.all(block == np.floor(block)))
    return lo, hi, whole


class NpyRows:
    """Chosen rows of a (memory-mapped) array, converted when asked for: len, [i] or [indices]."""

    def __init__(self, x, rows, convert):
        self.x = x
        self.rows = np.asarray(rows, dtype=np.int64)
        self.convert = convert

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, (int, np.integer)):
            return self.convert(self.x[self.rows[int(index)]: self.rows[int(index)] + 1])[0]
        return self.convert(self.x[self.rows[np.asarray(index, dtype=np.int64)]])


def beside(path, recorded):
    """A file recorded at export, or the file of that name beside path when it is no longer where it was (the data moved with --data)."""
    if os.path.exists(recorded):
        return recorded
    moved = os.path.join(os.path.dirname(path), os.path.basename(recorded))
    return moved if os.path.exists(moved) else recorded


def npy_layout(x, path):
    """How NetCanvas reads an inputs array: (n) or (n, d) a table; (n, a, b) images when its numbers are whole numbers 0-255, else sequences; (n, h, w, 1 or 3) images."""
    shape = x.shape
    if x.ndim <= 2:
        return "table", None
    lo, hi, whole = npy_range(x)
    byte_pixels = whole and lo >= 0 and hi <= 255
    if x.ndim == 3:
        return ("images", (byte_pixels, hi)) if byte_pixels else ("sequence", None)
    if x.ndim == 4 and shape[1] in (1, 3) and shape[2] > 4 and shape[3] > 4:
        fail(f"{path} has shape {shape}: images with the channels before height and width, as PyTorch stores them; save them channels last, x.transpose(0, 2, 3, 1).")
    if x.ndim != 4 or shape[3] not in (1, 3):
        fail(f"{path} has shape {shape}: NetCanvas reads tables (examples, features), sequences (examples, steps, features) and images (examples, height, width[, 1 or 3 channels]).")
    if not byte_pixels and not (lo >= 0 and hi <= 1):
        fail(f"{path} has shape {shape}, so it is read as images, but its pixels are not whole numbers 0-255 or numbers from 0 to 1.")
    return "images", (byte_pixels, hi)


def npy_targets(y, count, labels_path, path):
    """Classes (whole numbers from 0, or one-hot rows) or values to fit, and the examples whose targets are all numbers."""
    if y.ndim == 0 or y.shape[0] != count:
        fail(f"{labels_path} has {1 if y.ndim == 0 else y.shape[0]} labels for {count} examples in {path}.")
    with np.errstate(over="ignore", invalid="ignore"):
        values = np.asarray(y).astype(np.float32).reshape(count, -1)
    keep = np.nonzero(np.isfinite(values).all(axis=1))[0]
    if len(keep) == 0:
        fail(f"{labels_path} has no labels that are numbers (all are NaN or infinite).")
    # As NetCanvas, the class check reads the kept examples' first values (the label itself when there is one per example).
    first = values.reshape(-1)[keep]
    top = max(0.0, float(first.max()))
    kept = values[keep]
    if y.ndim == 2 and values.shape[1] >= 2 and np.all((kept == 0) | (kept == 1)) and np.all(kept.sum(axis=1) == 1):
        return "classes", np.argmax(np.nan_to_num(values), axis=1).astype(np.int64), keep
    if values.shape[1] == 1 and top < 1000 and np.all((first == np.floor(first)) & (first >= 0)):
        return "classes", np.nan_to_num(values[:, 0]).astype(np.int64), keep
    return "values", values, keep


def load_npy(spec, path):
    x = np.load(path, mmap_mode="r", allow_pickle=False)
    if x.ndim == 0 or x.shape[0] == 0:
        fail(f"{path} has shape {x.shape}: it holds no examples along its first axis.")
    count = x.shape[0]
    layout, pixels = npy_layout(x, path)
    labels_path = beside(path, spec["labels"]) if spec.get("labels") else None
    if labels_path is None and layout != "images":
        fail(f"{path} has no labels: the export names no labels .npy file with one target per example.")
    if labels_path:
        target, targets, keep = npy_targets(np.load(labels_path, allow_pickle=False), count, labels_path, path)
    else:
        # Images without labels are one class, for autoencoders.
        target, targets, keep = "classes", np.zeros(count, dtype=np.int64), np.arange(count)

    def convert(block):
        values = npy_numbers(block)
        if pixels and pixels[0] and pixels[1] > 1:
            return (values.astype(np.float64) / 255).astype(np.float32)
        return values.astype(np.float32)

    train_rows, test_rows = split_rows(len(keep), spec["testFraction"])

    def split(rows):
        examples = keep[rows]
        return NpyRows(x, examples, convert), targets[examples]

    images = list(x.shape[1:]) + ([1] if x.ndim == 3 else []) if layout == "images" else None
    return {"target": target, "images": images, "train": split(train_rows), "test": split(test_rows)}


# Image augmentation of training batches, as NetCanvas does it with the same seeded randomness.

class JsRandom:
    """NetCanvas's seeded generator (Mulberry32), drawing one number or many at once: the k-th number depends on k alone."""

    STEP = 0x6D2B79F5

    def __init__(self, seed):
        self.state = int(seed) % 4294967296

    def draws(self, count):
        u = np.uint64
        mask = u(M32)
        k = np.arange(1, count + 1, dtype=np.uint64)
        t = (u(self.state) + k * u(self.STEP)) & mask
        self.state = (self.state + count * self.STEP) % 4294967296
        t = ((t ^ (t >> u(15))) * (t | u(1))) & mask
        t ^= (t + (((t ^ (t >> u(7))) * (t | u(61))) & mask)) & mask
        return ((t ^ (t >> u(14))) & mask).astype(np.float64) / 4294967296

    def draw(self):
        return float(self.draws(1)[0])


def seeded_normal(count, random):
    """Standard normal noise (Box-Muller), drawn as NetCanvas draws it."""
    pairs = (count + 1) // 2
    r = random.draws(2 * pairs)
    radius = np.sqrt(-2 * np.log(np.maximum(r[0::2], 1e-12)))
    out = np.empty(2 * pairs, dtype=np.float32)
    out[0::2] = radius * np.cos(2 * math.pi * r[1::2])
    out[1::2] = radius * np.sin(2 * math.pi * r[1::2])
    return out[:count]


def moved(image, flip, dx, dy, angle):
    """Mirrored, then turned about the centre, then shifted: each pixel read back from where it came, bilinearly, black from outside."""
    h, w, _ = image.shape
    cx, cy = (w - 1) / 2, (h - 1) / 2
    cos, sin = math.cos(angle), math.sin(angle)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    X = x - dx - cx
    Y = y - dy - cy
    turned = X * cos - Y * sin + cx
    sy = X * sin + Y * cos + cy
    sx = (w - 1) - turned if flip else turned
    x0, y0 = np.floor(sx), np.floor(sy)
    tx, ty = (sx - x0)[..., None], (sy - y0)[..., None]
    x0, y0 = x0.astype(np.int64), y0.astype(np.int64)
    source = image.astype(np.float64)

    def at(xs, ys):
        inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
        return np.where(inside[..., None], source[np.clip(ys, 0, h - 1), np.clip(xs, 0, w - 1)], 0)

    top = at(x0, y0) * (1 - tx) + at(x0 + 1, y0) * tx
    bottom = at(x0, y0 + 1) * (1 - tx) + at(x0 + 1, y0 + 1) * tx
    return (top * (1 - ty) + bottom * ty).astype(np.float32)


def augments(a):
    return bool(a) and (a["flip"] or a["shift"] > 0 or a["rotate"] > 0 or a["noise"] > 0)


def augment_images(pixels, a, random):
    """A batch (n, height, width, channels) of pixels in [0, 1], each image mirrored with probability one half, shifted, turned and given noise as the settings say."""
    out = np.empty_like(pixels, dtype=np.float32)
    n, h, w, _ = pixels.shape
    for k in range(n):
        flip = bool(a["flip"]) and random.draw() < 0.5
        dx = js_round((2 * random.draw() - 1) * (a["shift"] * w)) if a["shift"] > 0 else 0
        dy = js_round((2 * random.draw() - 1) * (a["shift"] * h)) if a["shift"] > 0 else 0
        angle = (2 * random.draw() - 1) * a["rotate"] * math.pi / 180 if a["rotate"] > 0 else 0
        out[k] = moved(pixels[k], flip, dx, dy, angle) if flip or dx != 0 or dy != 0 or angle != 0 else pixels[k]
        if a["noise"] > 0:
            noise = seeded_normal(out[k].size, random).reshape(out[k].shape)
            out[k] = np.clip(out[k].astype(np.float64) + a["noise"] * noise.astype(np.float64), 0, 1)
    return out


def augmenter(settings, data, seed):
    """What happens to each training batch before the network reads it: NetCanvas's image augmentation for image data, nothing otherwise."""
    shape = data.get("images")
    if not shape or not augments(settings):
        return lambda xs: xs
    random = JsRandom(seed)

    def apply(xs):
        array = xs.numpy() if hasattr(xs, "numpy") else np.asarray(xs)
        out = augment_images(array.reshape([len(array)] + list(shape)), settings, random).reshape(array.shape)
        if hasattr(xs, "numpy"):
            import torch
            return torch.from_numpy(out)
        return out

    return apply


def load(spec, data_path=None):
    """The dataset a train_config.json names; data_path stands in for a user's file or folder."""
    kind = spec["kind"]
    if kind == "unavailable":
        fail(spec["reason"])
    path = data_path or (here(spec["path"]) if "path" in spec else None)
    if path and not os.path.exists(path):
        fail(f"the data is not at {path}: give its place with --data.")
    if kind == "idx":
        return load_idx(spec, path)
    if kind == "csv":
        return load_csv(spec, path)
    if kind == "text":
        return load_corpus(spec, path)
    if kind == "image-folder":
        return load_image_folder(spec, path)
    if kind == "npy":
        return load_npy(spec, path)
    if kind == "prepared-table":
        return load_prepared_table(spec)
    if kind == "prepared-arrays":
        return load_arrays(spec)
    if kind == "prepared-corpus":
        return load_prepared_corpus(spec)
    fail(f"this export's data is of a kind train.py does not read ({kind}).")
`;
