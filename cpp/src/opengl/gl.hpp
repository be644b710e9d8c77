// SPDX-License-Identifier: Apache-2.0
#pragma once
// The few OpenGL types, enums and entry-point signatures this producer uses, declared here so the
// build needs no GL headers (values from the Khronos registry's glext.h). Private.

#include <cstddef>
#include <cstdint>

#ifdef _WIN32
#define CUDA_INTEROP_GL_APIENTRY __stdcall
#else
#define CUDA_INTEROP_GL_APIENTRY
#endif

namespace cuda_interop::opengl::gl {

using GLenum = unsigned int;
using GLuint = unsigned int;
using GLint = int;
using GLsizei = int;
using GLboolean = unsigned char;
using GLubyte = unsigned char;
using GLuint64 = std::uint64_t;
using GLintptr = std::ptrdiff_t;
using GLsizeiptr = std::ptrdiff_t;

constexpr GLenum NO_ERROR = 0;
constexpr GLenum INVALID_ENUM = 0x0500;
constexpr GLenum INVALID_VALUE = 0x0501;
constexpr GLenum INVALID_OPERATION = 0x0502;
constexpr GLenum OUT_OF_MEMORY = 0x0505;
constexpr GLenum INVALID_FRAMEBUFFER_OPERATION = 0x0506;
constexpr GLenum CONTEXT_LOST = 0x0507;

constexpr GLenum VENDOR = 0x1F00;
constexpr GLenum RENDERER = 0x1F01;
constexpr GLenum VERSION = 0x1F02;
constexpr GLenum EXTENSIONS = 0x1F03;
constexpr GLenum NUM_EXTENSIONS = 0x821D;

constexpr GLenum TEXTURE_2D = 0x0DE1;
constexpr GLenum TEXTURE_2D_ARRAY = 0x8C1A;
constexpr GLenum TEXTURE_3D = 0x806F;
constexpr GLenum TEXTURE_BINDING_2D = 0x8069;
constexpr GLenum TEXTURE_BINDING_2D_ARRAY = 0x8C1D;
constexpr GLenum TEXTURE_BINDING_3D = 0x806A;
constexpr GLenum TEXTURE_RECTANGLE = 0x84F5;
constexpr GLenum TEXTURE_CUBE_MAP = 0x8513;
constexpr GLenum TEXTURE_CUBE_MAP_POSITIVE_X = 0x8515;
constexpr GLenum TEXTURE_BINDING_RECTANGLE = 0x84F6;
constexpr GLenum TEXTURE_BINDING_CUBE_MAP = 0x8514;
constexpr GLenum RENDERBUFFER = 0x8D41;
constexpr GLenum RENDERBUFFER_BINDING = 0x8CA7;
constexpr GLenum RENDERBUFFER_WIDTH = 0x8D42;
constexpr GLenum RENDERBUFFER_HEIGHT = 0x8D43;
constexpr GLenum RENDERBUFFER_INTERNAL_FORMAT = 0x8D44;
constexpr GLenum TEXTURE_WIDTH = 0x1000;
constexpr GLenum TEXTURE_HEIGHT = 0x1001;
constexpr GLenum TEXTURE_INTERNAL_FORMAT = 0x1003;
constexpr GLenum TEXTURE_DEPTH = 0x8071;
constexpr GLenum TEXTURE_IMMUTABLE_FORMAT = 0x912F;
constexpr GLenum TEXTURE_IMMUTABLE_LEVELS = 0x82DF;
constexpr GLenum COPY_WRITE_BUFFER = 0x8F37;
constexpr GLenum COPY_WRITE_BUFFER_BINDING = 0x8F37;  // the same value names the binding
constexpr GLenum BUFFER_SIZE = 0x8764;

// GL_EXT_memory_object, GL_EXT_memory_object_fd / _win32
constexpr GLenum TEXTURE_TILING_EXT = 0x9580;
constexpr GLenum DEDICATED_MEMORY_OBJECT_EXT = 0x9581;
constexpr GLenum OPTIMAL_TILING_EXT = 0x9584;
constexpr GLenum LINEAR_TILING_EXT = 0x9585;
constexpr GLenum HANDLE_TYPE_OPAQUE_FD_EXT = 0x9586;
constexpr GLenum HANDLE_TYPE_OPAQUE_WIN32_EXT = 0x9587;
constexpr GLenum NUM_DEVICE_UUIDS_EXT = 0x9596;
constexpr GLenum DEVICE_UUID_EXT = 0x9597;
constexpr GLenum DRIVER_UUID_EXT = 0x9598;

// GL_EXT_semaphore, GL_NV_timeline_semaphore
constexpr GLenum LAYOUT_GENERAL_EXT = 0x958D;
constexpr GLenum LAYOUT_COLOR_ATTACHMENT_EXT = 0x958E;
constexpr GLenum LAYOUT_DEPTH_STENCIL_ATTACHMENT_EXT = 0x958F;
constexpr GLenum LAYOUT_DEPTH_STENCIL_READ_ONLY_EXT = 0x9590;
constexpr GLenum LAYOUT_SHADER_READ_ONLY_EXT = 0x9591;
constexpr GLenum LAYOUT_TRANSFER_SRC_EXT = 0x9592;
constexpr GLenum LAYOUT_TRANSFER_DST_EXT = 0x9593;
constexpr GLenum TIMELINE_SEMAPHORE_VALUE_NV = 0x9595;
constexpr GLenum SEMAPHORE_TYPE_NV = 0x95B3;
constexpr GLenum SEMAPHORE_TYPE_TIMELINE_NV = 0x95B5;

#define CUDA_INTEROP_GL_FN(ret, name, ...) using name = ret(CUDA_INTEROP_GL_APIENTRY*)(__VA_ARGS__)
CUDA_INTEROP_GL_FN(GLenum, PFN_glGetError, void);
CUDA_INTEROP_GL_FN(const GLubyte*, PFN_glGetString, GLenum);
CUDA_INTEROP_GL_FN(const GLubyte*, PFN_glGetStringi, GLenum, GLuint);
CUDA_INTEROP_GL_FN(void, PFN_glGetIntegerv, GLenum, GLint*);
CUDA_INTEROP_GL_FN(void, PFN_glFlush, void);
CUDA_INTEROP_GL_FN(void, PFN_glFinish, void);
CUDA_INTEROP_GL_FN(void, PFN_glGenBuffers, GLsizei, GLuint*);
CUDA_INTEROP_GL_FN(void, PFN_glDeleteBuffers, GLsizei, const GLuint*);
CUDA_INTEROP_GL_FN(void, PFN_glBindBuffer, GLenum, GLuint);
CUDA_INTEROP_GL_FN(GLboolean, PFN_glIsBuffer, GLuint);
CUDA_INTEROP_GL_FN(void, PFN_glBufferSubData, GLenum, GLintptr, GLsizeiptr, const void*);
CUDA_INTEROP_GL_FN(void, PFN_glGetBufferSubData, GLenum, GLintptr, GLsizeiptr, void*);
CUDA_INTEROP_GL_FN(void, PFN_glGenTextures, GLsizei, GLuint*);
CUDA_INTEROP_GL_FN(void, PFN_glDeleteTextures, GLsizei, const GLuint*);
CUDA_INTEROP_GL_FN(void, PFN_glBindTexture, GLenum, GLuint);
CUDA_INTEROP_GL_FN(GLboolean, PFN_glIsTexture, GLuint);
CUDA_INTEROP_GL_FN(void, PFN_glTexParameteri, GLenum, GLenum, GLint);
CUDA_INTEROP_GL_FN(void, PFN_glGetTexParameteriv, GLenum, GLenum, GLint*);
CUDA_INTEROP_GL_FN(void, PFN_glGetTexLevelParameteriv, GLenum, GLint, GLenum, GLint*);
CUDA_INTEROP_GL_FN(GLboolean, PFN_glIsRenderbuffer, GLuint);
CUDA_INTEROP_GL_FN(void, PFN_glBindRenderbuffer, GLenum, GLuint);
CUDA_INTEROP_GL_FN(void, PFN_glGetRenderbufferParameteriv, GLenum, GLenum, GLint*);
// GL_EXT_memory_object
CUDA_INTEROP_GL_FN(void, PFN_glGetUnsignedBytevEXT, GLenum, GLubyte*);
CUDA_INTEROP_GL_FN(void, PFN_glGetUnsignedBytei_vEXT, GLenum, GLuint, GLubyte*);
CUDA_INTEROP_GL_FN(void, PFN_glCreateMemoryObjectsEXT, GLsizei, GLuint*);
CUDA_INTEROP_GL_FN(void, PFN_glDeleteMemoryObjectsEXT, GLsizei, const GLuint*);
CUDA_INTEROP_GL_FN(GLboolean, PFN_glIsMemoryObjectEXT, GLuint);
CUDA_INTEROP_GL_FN(void, PFN_glMemoryObjectParameterivEXT, GLuint, GLenum, const GLint*);
CUDA_INTEROP_GL_FN(void, PFN_glBufferStorageMemEXT, GLenum, GLsizeiptr, GLuint, GLuint64);
CUDA_INTEROP_GL_FN(void, PFN_glTexStorageMem2DEXT, GLenum, GLsizei, GLenum, GLsizei, GLsizei,
                   GLuint, GLuint64);
CUDA_INTEROP_GL_FN(void, PFN_glTexStorageMem3DEXT, GLenum, GLsizei, GLenum, GLsizei, GLsizei,
                   GLsizei, GLuint, GLuint64);
CUDA_INTEROP_GL_FN(void, PFN_glImportMemoryFdEXT, GLuint, GLuint64, GLenum, GLint);
CUDA_INTEROP_GL_FN(void, PFN_glImportMemoryWin32HandleEXT, GLuint, GLuint64, GLenum, void*);
// GL_EXT_semaphore, GL_NV_timeline_semaphore
CUDA_INTEROP_GL_FN(void, PFN_glGenSemaphoresEXT, GLsizei, GLuint*);
CUDA_INTEROP_GL_FN(void, PFN_glDeleteSemaphoresEXT, GLsizei, const GLuint*);
CUDA_INTEROP_GL_FN(void, PFN_glSemaphoreParameterui64vEXT, GLuint, GLenum, const GLuint64*);
CUDA_INTEROP_GL_FN(void, PFN_glWaitSemaphoreEXT, GLuint, GLuint, const GLuint*, GLuint,
                   const GLuint*, const GLenum*);
CUDA_INTEROP_GL_FN(void, PFN_glSignalSemaphoreEXT, GLuint, GLuint, const GLuint*, GLuint,
                   const GLuint*, const GLenum*);
CUDA_INTEROP_GL_FN(void, PFN_glImportSemaphoreFdEXT, GLuint, GLenum, GLint);
CUDA_INTEROP_GL_FN(void, PFN_glImportSemaphoreWin32HandleEXT, GLuint, GLenum, void*);
CUDA_INTEROP_GL_FN(void, PFN_glCreateSemaphoresNV, GLsizei, GLuint*);
CUDA_INTEROP_GL_FN(void, PFN_glSemaphoreParameterivNV, GLuint, GLenum, const GLint*);
#undef CUDA_INTEROP_GL_FN

}  // namespace cuda_interop::opengl::gl
