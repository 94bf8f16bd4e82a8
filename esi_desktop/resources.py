"""Where the files the program ships (frameworks, samples, fonts, the user guide) are found."""

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"
FRAMEWORKS_DIR = RESOURCES_DIR / "frameworks"
SAMPLES_DIR = RESOURCES_DIR / "samples"
SAMPLE_REPORT = SAMPLES_DIR / "esi-gloucestershire-2005.txt"
GUIDE_DIR = RESOURCES_DIR / "guide"
