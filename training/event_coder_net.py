"""The event coder as a PyTorch module, for training only. Run time uses the same layers in NumPy
(`dyadwatch.nlp.coder.heads`); the parameter names here are the keys of `heads.npz`."""

from __future__ import annotations

import torch
from torch import nn
from transformers import AutoModel

from dyadwatch.nlp.coder.features import PAIR_FEATURES, TOKEN_FEATURES
from dyadwatch.nlp.coder.heads import LABELS

HIDDEN = 256
PATH_DIM = 32


class EventCoderNet(nn.Module):
    def __init__(self, encoder: str, paths: int, own_country: bool = False) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(encoder)
        width = self.encoder.config.hidden_size
        labels = len(LABELS)
        self.trigger = nn.Sequential(nn.Linear(width + TOKEN_FEATURES, HIDDEN), nn.GELU(approximate="tanh"),
                                     nn.Linear(HIDDEN, labels))
        self.negation = nn.Linear(HIDDEN, 1)
        self.path = nn.Embedding(paths + 1, PATH_DIM)
        self.role = nn.Sequential(nn.Linear(3 * width + PATH_DIM + PAIR_FEATURES + labels, HIDDEN),
                                  nn.GELU(approximate="tanh"), nn.Linear(HIDDEN, 2))
        self.no_target = nn.Linear(width + labels, 1)
        # a domestic act: the target is another actor of the source's country (train_event_coder.py --own-country)
        self.own_country = nn.Linear(width + labels, 1) if own_country else None

    def token_vectors(self, ids: torch.Tensor, mask: torch.Tensor, pooling: list[torch.Tensor],
                      rows: list[list[int]]) -> list[torch.Tensor]:
        """Per sentence, (tokens, width): pooled word-piece vectors of the sentence's windows."""
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        return [sum(pooling[k] @ hidden[k, :pooling[k].shape[1]] for k in windows) for windows in rows]

    def read_triggers(self, vectors: torch.Tensor, features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.trigger[1](self.trigger[0](torch.cat([vectors, features], dim=1)))
        return self.trigger[2](hidden), self.negation(hidden)[:, 0]

    def read_roles(self, trigger: torch.Tensor, label: int, candidates: torch.Tensor, pair_features: torch.Tensor,
                   paths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        count = candidates.shape[0]
        kind = torch.zeros(count, len(LABELS))
        kind[:, label] = 1.0
        repeated = trigger.unsqueeze(0).expand(count, -1)
        inputs = torch.cat([repeated, candidates, repeated * candidates, self.path(paths), pair_features, kind], dim=1)
        scores = self.role(inputs)
        own = torch.cat([trigger, kind[0]])
        slots = [self.no_target(own)] + ([self.own_country(own)] if self.own_country is not None else [])
        return scores[:, 0], torch.cat([scores[:, 1], *slots])
