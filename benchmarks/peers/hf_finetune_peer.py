"""The Hugging Face fine-tune of issue 12, on train/test JSONL files; prints one JSON line.

transformers + torch, the way that issue's reference numbers were made: the checkpoint
folder's ``BertModel``, mean pooling over the real tokens, dropout 0.1, a linear layer to
one logit per class, cross-entropy; AdamW (lr 4e-5, weight decay 0, eps 1e-8), a linear
decay to 0 without warm-up, gradients clipped to norm 1 (the ``Trainer``'s defaults),
4 epochs of 16 shuffled rows, each batch padded to its longest text, maxlen 64.

Runs in its own virtualenv (torch must stay out of textclass's), started by
benchmarks/bench_encoder.py ``--kinds hf``:

    python3 -m venv .venv-ref
    .venv-ref/bin/pip install torch transformers safetensors tokenizers
    .venv-ref/bin/python benchmarks/peers/hf_finetune_peer.py \\
        --train train.jsonl --test test.jsonl --weights FOLDER --seed 0

Each JSONL line is {"text": ..., "label": ...} (labels: any strings or numbers).
"fit" times building the model from the folder and training; "predict" the test texts.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from importlib import metadata
from pathlib import Path


def read(path: Path) -> tuple[list[str], list]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r["text"] for r in rows], [r["label"] for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--test", type=Path, required=True)
    parser.add_argument("--weights", type=Path, required=True, help="a Hugging Face BERT folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--maxlen", type=int, default=64)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()

    import torch
    from transformers import AutoModel, AutoTokenizer, get_linear_schedule_with_warmup

    torch.set_num_threads(args.threads)
    train_texts, train_labels = read(args.train)
    test_texts, test_labels = read(args.test)
    classes = sorted(set(train_labels), key=str)
    code = {c: i for i, c in enumerate(classes)}
    y = torch.tensor([code[c] for c in train_labels])

    started, cpu = time.perf_counter(), time.process_time()
    torch.manual_seed(args.seed)
    tokenizer = AutoTokenizer.from_pretrained(args.weights)
    encoder = AutoModel.from_pretrained(args.weights)
    head = torch.nn.Sequential(
        torch.nn.Dropout(0.1), torch.nn.Linear(encoder.config.hidden_size, len(classes))
    )

    def logits(texts: list[str]):
        batch = tokenizer(
            texts, padding=True, truncation=True, max_length=args.maxlen, return_tensors="pt"
        )
        hidden = encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return head(pooled)

    parameters = list(encoder.parameters()) + list(head.parameters())
    optimizer = torch.optim.AdamW(parameters, lr=args.lr, weight_decay=0.0, eps=1e-8)
    batches_per_epoch = -(-len(train_texts) // args.batch_size)
    schedule = get_linear_schedule_with_warmup(optimizer, 0, args.epochs * batches_per_epoch)
    generator = torch.Generator().manual_seed(args.seed)
    encoder.train()
    head.train()
    for _ in range(args.epochs):
        order = torch.randperm(len(train_texts), generator=generator).tolist()
        for start in range(0, len(order), args.batch_size):
            rows = order[start : start + args.batch_size]
            loss = torch.nn.functional.cross_entropy(
                logits([train_texts[i] for i in rows]), y[rows]
            )
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(parameters, 1.0)
            optimizer.step()
            schedule.step()
    fit_s, fit_cpu_s = time.perf_counter() - started, time.process_time() - cpu

    started = time.perf_counter()
    encoder.eval()
    head.eval()
    predicted = []
    with torch.no_grad():
        for start in range(0, len(test_texts), 64):
            predicted += logits(test_texts[start : start + 64]).argmax(-1).tolist()
    predict_s = time.perf_counter() - started
    correct = sum(classes[p] == t for p, t in zip(predicted, test_labels, strict=True))
    print(
        json.dumps(
            {
                "accuracy": correct / len(test_labels),
                "fit_s": fit_s,
                "fit_cpu_s": fit_cpu_s,
                "predict_s": predict_s,
                "torch": torch.__version__,
                "transformers": metadata.version("transformers"),
                "threads": args.threads,
            }
        )
    )


if __name__ == "__main__":
    main()
