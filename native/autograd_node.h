// How an autograd graph holds its nodes, which changed within libtorch 2.x:
// through std::shared_ptr<Node> (1.13 up to at least 2.6), then through
// c10::intrusive_ptr<Node> (2.14 has it; Node derives from
// intrusive_ptr_target there). What a tensor's grad_fn() returns says which,
// so the code that makes, keeps and walks nodes is written once against the
// aliases here, whatever the version in between.
#pragma once

#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/variable.h>

#include <memory>
#include <type_traits>
#include <utility>

namespace torchts {

/** The owning pointer to a node, as grad_fn() gives it. */
using NodePtr = std::decay_t<decltype(std::declval<const at::Tensor&>().grad_fn())>;

/** Whether nodes are intrusively counted (c10::intrusive_ptr) rather than shared_ptr's. */
constexpr bool kIntrusiveNodes = !std::is_same<NodePtr, std::shared_ptr<torch::autograd::Node>>::value;

/** An owning pointer to a node of our own type T, convertible to NodePtr. */
template <typename T>
using NodeRef = std::conditional_t<kIntrusiveNodes, c10::intrusive_ptr<T>, std::shared_ptr<T>>;

/** A weak pointer to such a node; lock() gives a NodeRef<T>, empty once the graph freed it. */
template <typename T>
using WeakNodeRef = std::conditional_t<kIntrusiveNodes, c10::weak_intrusive_ptr<T>, std::weak_ptr<T>>;

/** A new node of type T, owned the way this libtorch owns nodes. */
template <typename T>
NodeRef<T> makeNode() {
  if constexpr (kIntrusiveNodes) {
    return c10::make_intrusive<T>();
  } else {
    return std::make_shared<T>();
  }
}

/**
 * The base of a node type of ours that must learn, once, that the graph has
 * let go of it: released(). Where nodes are shared_ptr's that is when its
 * destructor runs, and the derived type's destructor calls released().
 * Where they are intrusive it is when the last strong reference goes
 * (release_resources): the memory, and so the destructor, of an intrusive
 * node waits for its last weak reference too, which may be one of ours.
 */
template <typename Base, bool Intrusive = kIntrusiveNodes>
struct ReleaseAwareNode : Base {
  virtual void released() = 0;
};

template <typename Base>
struct ReleaseAwareNode<Base, true> : Base {
  virtual void released() = 0;
  void release_resources() override {
    released();
    Base::release_resources();
  }
};

}  // namespace torchts
