// SPDX-License-Identifier: Apache-2.0
#pragma once
// CUDA's OpenGL interop entry points (cuda_gl_interop.h), declared here because that header
// includes <GL/gl.h>, which a build needs not have. GLuint and GLenum are unsigned int; the
// deviceList enum is passed as its int value. Private.

#include <cuda_runtime_api.h>

extern "C" {
extern cudaError_t CUDARTAPI cudaGraphicsGLRegisterBuffer(struct cudaGraphicsResource** resource,
                                                          unsigned int buffer, unsigned int flags);
extern cudaError_t CUDARTAPI cudaGraphicsGLRegisterImage(struct cudaGraphicsResource** resource,
                                                         unsigned int image, unsigned int target,
                                                         unsigned int flags);
// The last parameter is enum cudaGLDeviceList; 1 is cudaGLDeviceListAll.
extern cudaError_t CUDARTAPI cudaGLGetDevices(unsigned int* count, int* devices,
                                              unsigned int capacity, int device_list);
}
