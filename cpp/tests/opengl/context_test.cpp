// SPDX-License-Identifier: Apache-2.0
// Without a current GL context (this process loads no GL library): every entry point says so
// with ContextError; descriptions are validated before any GL call.
#include <gtest/gtest.h>

#include "cuda_interop/opengl/context.hpp"
#include "cuda_interop/opengl/error.hpp"
#include "cuda_interop/opengl/graphics_resource.hpp"
#include "cuda_interop/opengl/memory.hpp"
#include "cuda_interop/opengl/semaphore.hpp"

namespace gl = cuda_interop::opengl;
using cuda_interop::InvalidArgument;

TEST(OpenGLContext, NoneIsCurrentWithoutAWindowSystemLibrary) {
  EXPECT_FALSE(gl::has_current_context());
  EXPECT_THROW(gl::current_context_id(), gl::ContextError);
  EXPECT_THROW(gl::current_context_info(), gl::ContextError);
}

TEST(OpenGLContext, EveryGlStepNeedsAContext) {
  cuda_interop::MemoryShare memory;
  memory.handle = cuda_interop::SharedHandle::fd(0, false);
  memory.size = 4096;
  EXPECT_THROW(gl::MemoryObject::import(memory), gl::ContextError);
  cuda_interop::SemaphoreShare semaphore;
  semaphore.handle = cuda_interop::SharedHandle::fd(0, false);
  EXPECT_THROW(gl::Semaphore::import(semaphore), gl::ContextError);
  EXPECT_THROW(gl::GraphicsResource::register_buffer(1, 0), gl::ContextError);
  EXPECT_THROW(gl::GraphicsResource::register_image(1, 0x0DE1, 0), gl::ContextError);
  EXPECT_THROW(gl::current_context_devices(), gl::ContextError);
}

TEST(OpenGLContext, RegisterFlagsAreCheckedFirst) {
  EXPECT_THROW(gl::GraphicsResource::register_buffer(1, 16), InvalidArgument);
  EXPECT_THROW(gl::GraphicsResource::register_buffer(
                   1, gl::register_read_only | gl::register_write_discard),
               InvalidArgument);
}

TEST(OpenGLContext, MappingNeedsResources) {
  EXPECT_THROW(gl::Mapping::map({}, std::nullopt), InvalidArgument);
  EXPECT_THROW(gl::Mapping::map({gl::GraphicsResource()}, std::nullopt), cuda_interop::ClosedError);
}

TEST(OpenGLTextureDesc, Validation) {
  gl::TextureDesc desc;
  desc.width = 64;
  desc.height = 32;
  EXPECT_NO_THROW(desc.validate());
  desc.levels = 7;  // 64 x 32 has 7 levels
  EXPECT_NO_THROW(desc.validate());
  desc.levels = 8;
  EXPECT_THROW(desc.validate(), InvalidArgument);
  desc.levels = 0;
  EXPECT_THROW(desc.validate(), InvalidArgument);
  desc.levels = 1;
  desc.depth = 2;  // a 2D texture has one layer
  EXPECT_THROW(desc.validate(), InvalidArgument);
  desc.target = 0x8C1A;  // GL_TEXTURE_2D_ARRAY
  EXPECT_NO_THROW(desc.validate());
  desc.target = 0x1234;
  EXPECT_THROW(desc.validate(), InvalidArgument);
}

TEST(OpenGLBarriers, Validation) {
  gl::Barriers barriers;
  barriers.buffers = {1, 2};
  barriers.textures = {{3, 0x958D}, {4, 0x9530}};
  EXPECT_NO_THROW(barriers.validate());
  barriers.textures.push_back({5, 0x1234});
  EXPECT_THROW(barriers.validate(), InvalidArgument);
  barriers.textures.pop_back();
  barriers.buffers.push_back(0);
  EXPECT_THROW(barriers.validate(), InvalidArgument);
}

TEST(OpenGLError, NamesCodes) {
  EXPECT_EQ(gl::error_name(0x0502), "GL_INVALID_OPERATION");
  EXPECT_EQ(gl::error_name(0x1234), "GL_ERROR_0x1234");
  gl::OpenGLError error(0x0505, "glBufferStorageMemEXT", "64 bytes");
  EXPECT_STREQ(error.what(), "glBufferStorageMemEXT failed: GL_OUT_OF_MEMORY; 64 bytes");
  EXPECT_EQ(error.code_name(), "GL_OUT_OF_MEMORY");
}
