// What a Node-API-only build would cost per op, in its wrapper alone: one
// call that unwraps two tensor arguments and returns a new wrapper, made as
// native/tensor.cc makes them (a clone of one instance, the holder in an
// aligned-pointer internal field, a weak handle freed inside GC) against
// Node-API alone (napi_unwrap; napi_new_instance of a class or
// napi_create_object, then napi_wrap with a basic finalizer, which also runs
// inside GC). No libtorch: the op itself is a sum of two integers.
//
//   g++ -shared -fPIC -O2 -std=gnu++20 -I<node>/include/node -o wrap_cost.node bench/wrap_cost/wrap_cost.cc
//   <node> bench/wrap_cost/run.js wrap_cost.node
#define NAPI_EXPERIMENTAL
#include <node_api.h>
#include <v8.h>
#include <cstdint>

struct Holder { int64_t v; v8::Global<v8::Object> obj; };
// Never destroyed: a static Global's destructor would run after V8 is gone.
static v8::Global<v8::Object>& boiler = *new v8::Global<v8::Object>();
static napi_ref ctorRef;

#if V8_MAJOR_VERSION >= 14
#define TAG , v8::kEmbedderDataTypeTagDefault
#else
#define TAG
#endif

static v8::Local<v8::Value> V(napi_value v) { v8::Local<v8::Value> l; memcpy(static_cast<void*>(&l), &v, sizeof(v)); return l; }
static napi_value N(v8::Local<v8::Value> l) { return reinterpret_cast<napi_value>(*l); }

static void onWeak(const v8::WeakCallbackInfo<Holder>& info) { Holder* h = info.GetParameter(); h->obj.Reset(); delete h; }

static napi_value opV8(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  auto* a = static_cast<Holder*>(V(argv[0]).As<v8::Object>()->GetAlignedPointerFromInternalField(0 TAG));
  auto* b = static_cast<Holder*>(V(argv[1]).As<v8::Object>()->GetAlignedPointerFromInternalField(0 TAG));
  v8::Isolate* iso = v8::Isolate::GetCurrent();
  v8::Local<v8::Object> o = boiler.Get(iso)->Clone();
  Holder* h = new Holder{a->v + b->v, {}};
  o->SetAlignedPointerInInternalField(0, h TAG);
  h->obj.Reset(iso, o);
  h->obj.SetWeak(h, onWeak, v8::WeakCallbackType::kParameter);
  return N(o);
}

static void basicFinalize(node_api_basic_env, void* data, void*) { delete static_cast<Holder*>(data); }

static napi_value opNapi(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void *a, *b;
  if (napi_unwrap(env, argv[0], &a) != napi_ok || napi_unwrap(env, argv[1], &b) != napi_ok) { napi_throw_error(env, nullptr, "not wrapped"); return nullptr; }
  napi_value ctor, o;
  napi_get_reference_value(env, ctorRef, &ctor);
  napi_new_instance(env, ctor, 0, nullptr, &o);
  Holder* h = new Holder{static_cast<Holder*>(a)->v + static_cast<Holder*>(b)->v, {}};
  napi_wrap(env, o, h, basicFinalize, nullptr, nullptr);
  return o;
}

static napi_value opNapiObject(napi_env env, napi_callback_info info) {  // plain object, no class
  size_t argc = 2; napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void *a, *b;
  napi_unwrap(env, argv[0], &a); napi_unwrap(env, argv[1], &b);
  napi_value o;
  napi_create_object(env, &o);
  Holder* h = new Holder{static_cast<Holder*>(a)->v + static_cast<Holder*>(b)->v, {}};
  napi_wrap(env, o, h, basicFinalize, nullptr, nullptr);
  return o;
}

static napi_value seedNapi(napi_env env, napi_callback_info) {
  napi_value o; napi_create_object(env, &o);
  napi_wrap(env, o, new Holder{1, {}}, basicFinalize, nullptr, nullptr);
  return o;
}

static napi_value Ctor(napi_env env, napi_callback_info info) { napi_value t; napi_get_cb_info(env, info, nullptr, nullptr, &t, nullptr); return t; }

NAPI_MODULE_INIT() {
  v8::Isolate* iso = v8::Isolate::GetCurrent();
  auto tmpl = v8::ObjectTemplate::New(iso);
  tmpl->SetInternalFieldCount(1);
  auto b = tmpl->NewInstance(iso->GetCurrentContext()).ToLocalChecked();
  b->SetAlignedPointerInInternalField(0, new Holder{1, {}} TAG);
  boiler.Reset(iso, b);
  napi_value ctor;
  napi_define_class(env, "T", NAPI_AUTO_LENGTH, Ctor, nullptr, 0, nullptr, &ctor);
  napi_create_reference(env, ctor, 1, &ctorRef);
  napi_value f;
  napi_create_function(env, "opV8", NAPI_AUTO_LENGTH, opV8, nullptr, &f); napi_set_named_property(env, exports, "opV8", f);
  napi_create_function(env, "opNapi", NAPI_AUTO_LENGTH, opNapi, nullptr, &f); napi_set_named_property(env, exports, "opNapi", f);
  napi_create_function(env, "opNapiObject", NAPI_AUTO_LENGTH, opNapiObject, nullptr, &f); napi_set_named_property(env, exports, "opNapiObject", f);
  napi_set_named_property(env, exports, "boilerplate", N(b));
  napi_create_function(env, "seedNapi", NAPI_AUTO_LENGTH, seedNapi, nullptr, &f); napi_set_named_property(env, exports, "seedNapi", f);
  return exports;
}
