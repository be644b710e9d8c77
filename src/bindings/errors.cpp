// SPDX-License-Identifier: Apache-2.0
#include "errors.hpp"

#include <string>

#include "cuda_interop/error.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {
namespace {

// Borrowed from the _core module, which owns them for the life of the interpreter.
PyObject* cuda_error_type = nullptr;
PyObject* closed_error_type = nullptr;
PyObject* not_supported_type = nullptr;

PyObject* core_exception(const char* name) {
  py::object type = py::module_::import("cuda_interop._core").attr(name);
  return type.release().ptr();  // kept for the interpreter's lifetime
}

bool interpreter_finalizing() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing() != 0;
#else
  return _Py_IsFinalizing() != 0;
#endif
}

void raise_cuda_error(const CudaError& error) {
  py::object instance = py::reinterpret_borrow<py::object>(cuda_error_type)(error.what());
  instance.attr("_code") = error.code();
  instance.attr("_name") = error.name();
  instance.attr("_call") = error.call();
  PyErr_SetObject(cuda_error_type, instance.ptr());
}

void raise_os_error(const OsError& error) {
  py::object instance =
      py::reinterpret_borrow<py::object>(PyExc_OSError)(error.code(), error.what());
  PyErr_SetObject(PyExc_OSError, instance.ptr());
}

}  // namespace

py::object new_error_type(py::module_& module, const char* name, PyObject* builtin,
                          const char* doc, std::initializer_list<ErrorAttribute> attributes) {
  py::dict namespace_;
  for (const ErrorAttribute& attribute : attributes) {
    // Read-only properties over "_<name>", which the translator sets: pybind11-stubgen writes them
    // into the stub with their types, so typed user code may read them.
    const std::string stored = std::string("_") + attribute.name;
    py::cpp_function getter;
    if (attribute.is_int) {
      getter = py::cpp_function([stored](py::object self) -> long long {
        py::object value = py::getattr(self, stored.c_str(), py::none());
        return value.is_none() ? 0 : value.cast<long long>();
      });
    } else {
      getter = py::cpp_function([stored](py::object self) -> std::string {
        py::object value = py::getattr(self, stored.c_str(), py::none());
        return value.is_none() ? std::string() : value.cast<std::string>();
      });
    }
    namespace_[attribute.name] = py::module_::import("builtins")
                                     .attr("property")(getter, py::none(), py::none(),
                                                       attribute.doc);
  }
  py::tuple bases;
  if (builtin == nullptr) {
    bases = py::make_tuple(py::reinterpret_borrow<py::object>(PyExc_Exception));
  } else {
    // _core defines Error first and is still being imported then; other modules import it.
    py::object error = py::hasattr(module, "Error")
                           ? module.attr("Error")
                           : py::module_::import("cuda_interop._core").attr("Error");
    bases = py::make_tuple(error, py::reinterpret_borrow<py::object>(builtin));
  }
  const std::string qualified = py::str(module.attr("__name__")).cast<std::string>() + "." + name;
  PyObject* type =
      PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), namespace_.ptr());
  if (type == nullptr) throw py::error_already_set();
  py::object result = py::reinterpret_steal<py::object>(type);
  module.add_object(name, result);
  return result;
}

void define_errors(py::module_& core) {
  // Error first: the others derive from it (and from the builtin their kind of failure is).
  new_error_type(core, "Error", nullptr,
                 "Base of every error cuda_interop raises for a failure of its own (CUDA, Vulkan, "
                 "Direct3D 12, a closed object, an unsupported platform, a lost or misbehaving "
                 "peer). Each also derives from the builtin exception of its kind: CudaError is a "
                 "RuntimeError, ClosedError a ValueError. Rejected arguments are plain TypeError "
                 "or ValueError.",
                 {});
  new_error_type(core, "CudaError", PyExc_RuntimeError,
                 "A CUDA call failed. Attributes: code (int), name (str), call (str).",
                 {{"code", true, "The CUDA error code (cudaError_t or CUresult), e.g. 1."},
                  {"name", false, "The error's name, e.g. \"cudaErrorInvalidValue\"."},
                  {"call", false, "The CUDA function that failed, e.g. \"cudaMalloc\"."}});
  new_error_type(core, "ClosedError", PyExc_ValueError,
                 "The object was closed; like I/O on a closed file.", {});
  new_error_type(core, "NotSupportedError", PyExc_RuntimeError,
                 "This platform, driver or build cannot do what was asked (also: no NVIDIA driver "
                 "at all).",
                 {});
}

void register_error_translator(py::module_& module) {
  (void)module;
  py::register_local_exception_translator([](std::exception_ptr pointer) {
    if (!pointer) return;
    if (cuda_error_type == nullptr) {
      cuda_error_type = core_exception("CudaError");
      closed_error_type = core_exception("ClosedError");
      not_supported_type = core_exception("NotSupportedError");
    }
    try {
      std::rethrow_exception(pointer);
    } catch (const CudaError& error) {
      raise_cuda_error(error);
    } catch (const ClosedError& error) {
      PyErr_SetString(closed_error_type, error.what());
    } catch (const NotSupported& error) {
      PyErr_SetString(not_supported_type, error.what());
    } catch (const InvalidArgument& error) {
      PyErr_SetString(PyExc_ValueError, error.what());
    } catch (const TimeoutError& error) {
      PyErr_SetString(PyExc_TimeoutError, error.what());
    } catch (const OsError& error) {
      raise_os_error(error);
    }
  });
}

void route_warnings_to_python() {
  set_warning_handler([](const std::string& message) {
    if (!Py_IsInitialized() || interpreter_finalizing()) throw std::runtime_error("no interpreter");
    py::gil_scoped_acquire gil;
    // Keep any exception in flight (a destructor may run while one propagates).
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    if (PyErr_WarnEx(PyExc_ResourceWarning, message.c_str(), 1) != 0) {
      PyErr_WriteUnraisable(nullptr);
    }
    PyErr_Restore(type, value, traceback);
  });
  set_interrupt_check([] {
    if (!Py_IsInitialized() || interpreter_finalizing()) return;
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  });
}

}  // namespace cuda_interop::bindings
