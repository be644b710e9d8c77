// SPDX-License-Identifier: Apache-2.0
#include "errors.hpp"

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
  instance.attr("code") = error.code();
  instance.attr("name") = error.name();
  instance.attr("call") = error.call();
  PyErr_SetObject(cuda_error_type, instance.ptr());
}

void raise_os_error(const OsError& error) {
  py::object instance =
      py::reinterpret_borrow<py::object>(PyExc_OSError)(error.code(), error.what());
  PyErr_SetObject(PyExc_OSError, instance.ptr());
}

}  // namespace

void define_errors(py::module_& core) {
  py::exception<CudaError> cuda_error(core, "CudaError", PyExc_RuntimeError);
  cuda_error.doc() = "A CUDA call failed. Attributes: code (int), name (str), call (str).";
  py::exception<ClosedError> closed(core, "ClosedError", PyExc_ValueError);
  closed.doc() = "The object was closed; like I/O on a closed file.";
  py::exception<NotSupported> not_supported(core, "NotSupportedError", PyExc_RuntimeError);
  not_supported.doc() = "This platform, driver or build cannot do what was asked.";
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
