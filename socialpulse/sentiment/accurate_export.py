"""Export a fine-tuned accurate-tier classifier to an int8 ONNX file (build time only).

torch.onnx (opset 17, the TorchScript exporter: its graph is the one ONNX Runtime's BERT fusions
recognise), then the transformer optimizer fuses attention / layer-norm / GELU, then dynamic
int8 quantisation per channel. The exported graph outputs class probabilities.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

OPSET = 17
N_HEADS = 12


def export_int8(model: Any, out_path: Path) -> Path:
    """Write ``model`` (the torch classifier, eval mode) as an int8 ONNX file at ``out_path``."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    from .accurate_train import HIDDEN

    class Probabilities(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return torch.softmax(self.inner(input_ids, attention_mask), dim=-1)

    wrapped = Probabilities(model).eval()
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        raw, fused = Path(tmp) / "raw.onnx", Path(tmp) / "fused.onnx"
        with torch.no_grad():
            torch.onnx.export(
                wrapped, (ids, mask), str(raw), opset_version=OPSET, dynamo=False,
                input_names=["input_ids", "attention_mask"], output_names=["probabilities"],
                dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                              "attention_mask": {0: "batch", 1: "sequence"},
                              "probabilities": {0: "batch"}},
            )
        optimized = optimize_model(str(raw), model_type="bert", num_heads=N_HEADS,
                                   hidden_size=HIDDEN)
        optimized.save_model_to_file(str(fused))
        quantize_dynamic(str(fused), str(out_path), weight_type=QuantType.QInt8,
                         per_channel=True,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    return out_path
