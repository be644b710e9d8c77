# SPDX-License-Identifier: Apache-2.0
"""A PyTorch tensor shown by OpenGL: CUDA writes the texture, GL draws it.

    python examples/opengl_show_tensor.py [--size W H]

PyTorch computes an image on the GPU (a ``uint8`` RGBA tensor). A moderngl texture, registered
with CUDA for writing (``opengl.register_texture(tex, write_discard=True)``), is mapped on
PyTorch's stream, the tensor is copied into it on the GPU, and it is unmapped; GL then draws the
texture into a framebuffer (headless here; a window's framebuffer works the same) and reads the
framebuffer back, which must equal the tensor byte for byte.
Exits 0 after printing ``opengl_show_tensor: OK``; exits 2 when PyTorch, moderngl, a CUDA GPU or
an NVIDIA OpenGL context is missing.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

import cuda_interop as ci
from cuda_interop import opengl
from cuda_interop.cli import EXIT_CANNOT_RUN

VERTEX = """#version 330
void main() {
    vec2 p = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2);
    gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}"""
FRAGMENT = """#version 330
uniform sampler2D image;
out vec4 color;
void main() { color = texelFetch(image, ivec2(gl_FragCoord.xy), 0); }"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, nargs=2, default=(640, 360), metavar=("W", "H"))
    args = parser.parse_args()
    try:
        import moderngl
        import torch
    except ImportError as error:
        print(f"opengl_show_tensor needs PyTorch and moderngl: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    try:
        gl = moderngl.create_context(standalone=True, backend="egl", libgl="libGL.so.1",
                                     libegl="libEGL.so.1")
        if "NVIDIA" not in opengl.current_context().vendor or not ci.devices():
            raise ci.NotSupportedError("the OpenGL context is not on an NVIDIA GPU")
    except Exception as error:
        print(f"opengl_show_tensor needs an NVIDIA OpenGL context and a CUDA GPU: {error}",
              file=sys.stderr)
        return EXIT_CANNOT_RUN

    width, height = args.size
    y, x = torch.meshgrid(torch.arange(height, device="cuda"), torch.arange(width, device="cuda"),
                          indexing="ij")
    image = torch.stack([x % 256, y % 256, (x + y) % 256, torch.full_like(x, 255)], dim=-1)
    image = image.to(torch.uint8).contiguous()      # (H, W, 4) on the GPU

    texture = gl.texture((width, height), 4)
    resource = opengl.register_texture(texture, write_discard=True)
    with resource.map(torch.cuda.current_stream()) as mapping:
        mapping.array().level(0).copy_from_device(image.data_ptr(), image.numel())
    resource.close()

    screen = gl.texture((width, height), 4)
    framebuffer = gl.framebuffer([screen])
    framebuffer.use()
    texture.use(0)
    program = gl.program(vertex_shader=VERTEX, fragment_shader=FRAGMENT)
    gl.vertex_array(program, []).render(vertices=3)
    shown = np.frombuffer(framebuffer.read(components=4), np.uint8).reshape(height, width, 4)
    expected = image.cpu().numpy()
    if not np.array_equal(shown, expected):
        print(f"opengl_show_tensor: {int((shown != expected).any(-1).sum())} pixels differ",
              file=sys.stderr)
        return 1
    print(f"a {width}x{height} tensor drawn by OpenGL, byte-exact")
    print("opengl_show_tensor: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
