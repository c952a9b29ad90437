"""The event coder as a PyTorch module, for training only. Run time uses the same layers in NumPy
(`dyadwatch.nlp.coder.heads`); the parameter names here are the keys of `heads.npz`."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from transformers import AutoModel

from dyadwatch.nlp.coder.heads import LABELS

HIDDEN = 256
PATH_DIM = 32


@dataclass(frozen=True)
class FeatureWidths:
    """How many hand features describe a word (`token`) and a trigger-candidate pair (`pair`): read off the
    training examples, so that training needs no spaCy (`dyadwatch.nlp.coder.features` defines them)."""

    token: int
    pair: int


@dataclass(frozen=True)
class Encoded:
    """The encoder's output for a batch of padded windows; for --marked-roles also its last layer's input."""

    last: torch.Tensor
    before_top: torch.Tensor | None


class EventCoderNet(nn.Module):
    def __init__(self, encoder: str, paths: int, features: FeatureWidths, own_country: bool = False,
                 marked_roles: bool = False, layers: int | None = None, dropout: float | None = None) -> None:
        super().__init__()
        rates = {} if dropout is None else {"hidden_dropout_prob": dropout, "attention_probs_dropout_prob": dropout}
        self.encoder = AutoModel.from_pretrained(encoder, **rates).float()  # a 16-bit base copy trains in 32
        if layers is not None:  # keep the lower layers only: a cheaper encoder (train_event_coder.py --layers)
            self.encoder.encoder.layer = self.encoder.encoder.layer[:layers]
            self.encoder.config.num_hidden_layers = layers
        width = self.encoder.config.hidden_size
        labels = len(LABELS)
        self.trigger = nn.Sequential(nn.Linear(width + features.token, HIDDEN), nn.GELU(approximate="tanh"),
                                     nn.Linear(HIDDEN, labels))
        self.negation = nn.Linear(HIDDEN, 1)
        self.path = nn.Embedding(paths + 1, PATH_DIM)
        self.role = nn.Sequential(nn.Linear(3 * width + PATH_DIM + features.pair + labels, HIDDEN),
                                  nn.GELU(approximate="tanh"), nn.Linear(HIDDEN, 2))
        self.no_target = nn.Linear(width + labels, 1)
        # a domestic act: the target is another actor of the source's country (train_event_coder.py --own-country)
        self.own_country = nn.Linear(width + labels, 1) if own_country else None
        # roles read from the encoder's last layer run again with this vector added to the trigger's pieces, so
        # that the candidates' vectors are read in the light of the act they may take part in (--marked-roles)
        self.marker = nn.Parameter(torch.randn(width) * 0.02) if marked_roles else None

    def encode(self, ids: torch.Tensor, mask: torch.Tensor) -> Encoded:
        output = self.encoder(input_ids=ids, attention_mask=mask, output_hidden_states=self.marker is not None)
        before_top = output.hidden_states[-2] if self.marker is not None else None
        return Encoded(output.last_hidden_state, before_top)

    def token_vectors(self, encoded: Encoded, pooling: list[torch.Tensor], rows: list[list[int]]
                      ) -> list[torch.Tensor]:
        """Per sentence, (tokens, width): pooled word-piece vectors of the sentence's windows."""
        return [sum(pooling[k] @ encoded.last[k, :pooling[k].shape[1]] for k in windows) for windows in rows]

    def marked_vectors(self, encoded: Encoded, pooling: list[torch.Tensor], windows: list[int], token: int
                       ) -> torch.Tensor:
        """(tokens, width) of one sentence, its last layer run again with the marker on the pieces of `token`
        (an index into the encoder's tokens: the prefix's names, then the sentence's). A window's pooling has
        one column per piece of it, so cutting the batch's padding off leaves nothing to mask."""
        total = None
        for k in windows:
            width = pooling[k].shape[1]
            on_trigger = (pooling[k][token] > 0).to(encoded.before_top.dtype)
            hidden = encoded.before_top[k:k + 1, :width] + on_trigger[None, :, None] * self.marker
            top = self.encoder.encoder.layer[-1](hidden)
            top = top[0] if isinstance(top, tuple) else top
            pooled = pooling[k] @ top[0]
            total = pooled if total is None else total + pooled
        return total

    def read_triggers(self, vectors: torch.Tensor, features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.trigger[1](self.trigger[0](torch.cat([vectors, features], dim=1)))
        return self.trigger[2](hidden), self.negation(hidden)[:, 0]

    def read_roles(self, trigger: torch.Tensor, label: int, candidates: torch.Tensor, pair_features: torch.Tensor,
                   paths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        count = candidates.shape[0]
        kind = torch.zeros(count, len(LABELS), device=candidates.device)
        kind[:, label] = 1.0
        repeated = trigger.unsqueeze(0).expand(count, -1)
        inputs = torch.cat([repeated, candidates, repeated * candidates, self.path(paths), pair_features, kind], dim=1)
        scores = self.role(inputs)
        own = torch.cat([trigger, kind[0]])
        slots = [self.no_target(own)] + ([self.own_country(own)] if self.own_country is not None else [])
        return scores[:, 0], torch.cat([scores[:, 1], *slots])
