"""Tokenizer speed: textclass vs the Keras 2 Tokenizer (package tf-keras), same run.

Fits and transforms IMDB's 50,000 reviews (train + test) with both, checks that
the word index and the sequences are identical, and prints a Markdown table to
paste into benchmarks/README.md.

    pip install -e '.[bench]'
    TEXTCLASS_DATA=../shared/data python benchmarks/bench_tokenizer.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

from textclass import Tokenizer, load_dataset
from textclass.preprocessing import ragged

COLD = {}  # step -> seconds of its first (cold) run, before caches and allocators warm up


def best_of(repeat: int, fn, step: str):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    COLD[step] = times[0]
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = parser.parse_args()
    texts = load_dataset("imdb").texts
    n_bytes = sum(len(t.encode()) for t in texts)

    from tf_keras.preprocessing.text import Tokenizer as KerasTokenizer

    def keras_fit():
        tok = KerasTokenizer()
        tok.fit_on_texts(texts)
        return tok

    # ours first, in a fresh process, so its first runs are really cold
    chunk = ragged.CHUNK_TEXTS
    ours_fit_s, ours = best_of(args.repeat, lambda: Tokenizer().fit(texts), "ours fit")
    ours_tr_s, ours_seqs = best_of(args.repeat, lambda: ours.transform(texts), "ours transform")
    ours_ft_s, ours_ft = best_of(
        args.repeat, lambda: Tokenizer().fit_transform(texts), "ours fit_transform"
    )

    keras_fit_s, keras_tok = best_of(args.repeat, keras_fit, "keras fit")
    keras_tr_s, keras_seqs = best_of(
        args.repeat, lambda: keras_tok.texts_to_sequences(texts), "keras transform"
    )

    # the same two calls on one thread (no chunking), to show what threads add
    ragged.CHUNK_TEXTS = len(texts) + 1
    one_fit_s, one = best_of(args.repeat, lambda: Tokenizer().fit(texts), "one fit")
    one_tr_s, _ = best_of(args.repeat, lambda: one.transform(texts), "one transform")
    ragged.CHUNK_TEXTS = chunk

    same_index = ours.word_index == keras_tok.word_index
    same_seqs = ours_seqs.to_list() == keras_seqs and ours_ft.to_list() == keras_seqs
    keras_total = keras_fit_s + keras_tr_s
    print(
        f"IMDB train+test: {len(texts):,} reviews, {n_bytes / 1e6:.1f} MB, "
        f"{len(ours.words_):,} distinct words, {ours_seqs.ids.size:,} tokens; best of {args.repeat}"
    )
    print(f"identical word index: {same_index}; identical sequences: {same_seqs}\n")
    print("| step | Keras 2 Tokenizer (s) | textclass (s) | speed-up |")
    print("|---|---:|---:|---:|")
    print(f"| fit | {keras_fit_s:.2f} | {ours_fit_s:.2f} | {keras_fit_s / ours_fit_s:.1f}x |")
    print(f"| transform | {keras_tr_s:.2f} | {ours_tr_s:.2f} | {keras_tr_s / ours_tr_s:.1f}x |")
    print(
        f"| fit + transform (two calls) | {keras_total:.2f} | {ours_fit_s + ours_tr_s:.2f} | "
        f"{keras_total / (ours_fit_s + ours_tr_s):.1f}x |"
    )
    one_total = one_fit_s + one_tr_s
    print(
        f"| fit + transform (two calls, one thread) | {keras_total:.2f} | {one_total:.2f} | "
        f"{keras_total / one_total:.1f}x |"
    )
    print(
        f"| fit_transform (one call) | {keras_total:.2f} | {ours_ft_s:.2f} | "
        f"{keras_total / ours_ft_s:.1f}x |"
    )
    cold_keras = COLD["keras fit"] + COLD["keras transform"]
    cold_ours = COLD["ours fit"] + COLD["ours transform"]
    print(
        f"\nSingle cold run (the first of each, ours in a fresh process): fit + transform "
        f"Keras 2 {cold_keras:.2f} s, textclass {cold_ours:.2f} s, {cold_keras / cold_ours:.1f}x; "
        f"fit_transform {COLD['ours fit_transform']:.2f} s, "
        f"{cold_keras / COLD['ours fit_transform']:.1f}x"
    )
    if not (same_index and same_seqs):
        raise SystemExit("MISMATCH: textclass and Keras 2 disagree")


if __name__ == "__main__":
    main()
