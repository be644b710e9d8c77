# SPDX-License-Identifier: Apache-2.0
"""moderngl renders a scene into a texture every frame; PyTorch gets each frame on the GPU.

    python examples/opengl_render_to_torch.py [--frames N] [--size W H]

The renderer is a headless moderngl context (EGL). Its colour texture is registered with CUDA
once (``opengl.register_texture``); every frame the scene is drawn, the texture is mapped on
PyTorch's stream for the few microseconds CUDA needs it (``resource.map(stream)``), level 0 is
copied into a preallocated tensor on the GPU (one ``cudaMemcpy3D``, no host round trip: a GL
texture is tiled, so a tensor needs this one copy), and unmapped so GL can draw the next frame.
PyTorch then checks the frame: the fragment shader writes ``(x + frame) & 255``,
``y & 255`` and ``frame & 255``, which are exact in ``GL_RGBA8``.

For no per-frame map at all, render into a Vulkan image imported into GL
(``opengl.import_texture``) and order GL and CUDA with semaphores: see docs/opengl.md.
Exits 0 after printing ``opengl_render_to_torch: OK``; exits 2 when PyTorch, moderngl, a CUDA
GPU or an NVIDIA OpenGL context is missing.
"""

from __future__ import annotations

import argparse
import sys
import time

import cuda_interop as ci
from cuda_interop import opengl
from cuda_interop.cli import EXIT_CANNOT_RUN

VERTEX = """#version 330
void main() {
    vec2 p = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2);
    gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}"""
FRAGMENT = """#version 330
uniform int frame;
out vec4 color;
void main() {
    ivec2 p = ivec2(gl_FragCoord.xy);
    color = vec4(float((p.x + frame) & 255), float(p.y & 255), float(frame & 255), 255.0) / 255.0;
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=120)
    parser.add_argument("--size", type=int, nargs=2, default=(1280, 720), metavar=("W", "H"))
    args = parser.parse_args()
    try:
        import moderngl
        import torch
    except ImportError as error:
        print(f"opengl_render_to_torch needs PyTorch and moderngl: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    try:
        gl = moderngl.create_context(standalone=True, backend="egl", libgl="libGL.so.1",
                                     libegl="libEGL.so.1")
        if "NVIDIA" not in opengl.current_context().vendor or not ci.devices():
            raise ci.NotSupportedError("the OpenGL context is not on an NVIDIA GPU")
    except Exception as error:
        print(f"opengl_render_to_torch needs an NVIDIA OpenGL context and a CUDA GPU: {error}",
              file=sys.stderr)
        return EXIT_CANNOT_RUN

    width, height = args.size
    color = gl.texture((width, height), 4)
    framebuffer = gl.framebuffer([color])
    program = gl.program(vertex_shader=VERTEX, fragment_shader=FRAGMENT)
    triangle = gl.vertex_array(program, [])
    resource = opengl.register_texture(color)        # once
    frame = torch.empty((height, width, 4), dtype=torch.uint8, device="cuda")
    x = torch.arange(width, device="cuda", dtype=torch.int32)
    y = torch.arange(height, device="cuda", dtype=torch.int32)
    stream = torch.cuda.current_stream()
    start = time.perf_counter()
    for number in range(args.frames):
        framebuffer.use()
        program["frame"] = number
        triangle.render(vertices=3)
        with resource.map(stream) as mapping:        # CUDA sees the finished draw
            mapping.array().level(0).copy_to_device(frame.data_ptr(), frame.numel())
        # unmapped: GL may draw the next frame while PyTorch checks this one
        assert torch.equal(frame[..., 0], ((x[None, :] + number) & 255).to(torch.uint8)
                           .expand(height, width)), f"frame {number}: red"
        assert torch.equal(frame[..., 1], (y[:, None] & 255).to(torch.uint8)
                           .expand(height, width)), f"frame {number}: green"
        assert bool((frame[..., 2] == number & 255).all()), f"frame {number}: blue"
    elapsed = time.perf_counter() - start
    resource.close()
    print(f"{args.frames} frames of {width}x{height} to PyTorch, "
          f"{elapsed / args.frames * 1e3:.2f} ms per frame (render, map, copy, check)")
    print("opengl_render_to_torch: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
