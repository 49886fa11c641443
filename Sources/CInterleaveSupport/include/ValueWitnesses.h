#ifndef C_INTERLEAVE_VALUE_WITNESSES_H
#define C_INTERLEAVE_VALUE_WITNESSES_H

// The Swift runtime's value witnesses of a type, for the few operations that reflective
// fingerprints need on enums with payloads and that Swift code cannot ask for by name: the
// case of a value, and its payload in place. `type` is the type's metadata (the bits of a Swift
// metatype); `value` points to a value of that type. The witnesses' layout is the runtime's
// (docs/ABI/TypeMetadata.rst in the Swift repository): eight functions, size, stride, flags,
// extra inhabitants, and, for enums, three more.

/// A type's value witness table, as the Swift runtime lays it out. The functions use the Swift
/// calling convention.
typedef struct {
  void *initializeBufferWithCopyOfBuffer;
  void (*destroy)(void *value, const void *type) __attribute__((swiftcall));
  void *(*initializeWithCopy)(void *destination, const void *source, const void *type)
      __attribute__((swiftcall));
  void *assignWithCopy;
  void *initializeWithTake;
  void *assignWithTake;
  void *getEnumTagSinglePayload;
  void *storeEnumTagSinglePayload;
  unsigned long size;
  unsigned long stride;
  unsigned flags;
  unsigned extraInhabitantCount;
  // The enum witnesses, present where `flags` has INTERLEAVE_HAS_ENUM_WITNESSES.
  unsigned (*getEnumTag)(const void *value, const void *type) __attribute__((swiftcall));
  void (*destructiveProjectEnumData)(void *value, const void *type) __attribute__((swiftcall));
  void (*destructiveInjectEnumTag)(void *value, unsigned tag, const void *type) __attribute__((swiftcall));
} interleave_value_witness_table;

/// The flag that says the table has the enum witnesses (ValueWitnessFlags::HasEnumWitnesses).
#define INTERLEAVE_HAS_ENUM_WITNESSES 0x00200000u

/// The value witness table: the word before the metadata's address.
static inline const interleave_value_witness_table *interleave_value_witnesses(const void *type) {
  return ((const interleave_value_witness_table *const *)type)[-1];
}

/// Whether `type`'s value witnesses include the enum witnesses (getEnumTag and the two that
/// project and inject a payload). Only enum and optional metadata have them.
static inline int interleave_has_enum_witnesses(const void *type) {
  return (interleave_value_witnesses(type)->flags & INTERLEAVE_HAS_ENUM_WITNESSES) != 0;
}

/// The case of the enum value at `value`: payload cases first, in declaration order, then the
/// cases without payload.
static inline unsigned interleave_enum_tag(const void *value, const void *type) {
  return interleave_value_witnesses(type)->getEnumTag(value, type);
}

/// Turns the enum value at `value` into its payload, in place: clears the case's bits that the
/// payload's spare bits hold. Only for a value of a payload case, whose payload is then a valid
/// value of the payload's type at the same address.
static inline void interleave_enum_project_payload(void *value, const void *type) {
  interleave_value_witnesses(type)->destructiveProjectEnumData(value, type);
}

/// Turns the payload at `value` back into the enum value of case `tag`, in place: the inverse of
/// `interleave_enum_project_payload`.
static inline void interleave_enum_inject_tag(void *value, unsigned tag, const void *type) {
  interleave_value_witnesses(type)->destructiveInjectEnumTag(value, tag, type);
}

/// The address of the value that the heap box `box` holds: where an indirect enum case keeps its
/// payload (the runtime's `swift_projectBox`).
const void *interleave_project_box(const void *box);

/// Copies the value at `source` of type `type` into the uninitialized memory at `destination`
/// (retaining what it references).
static inline void interleave_value_copy(void *destination, const void *source, const void *type) {
  interleave_value_witnesses(type)->initializeWithCopy(destination, source, type);
}

/// Destroys the value at `value` of type `type` (releasing what it references); the memory is
/// then uninitialized.
static inline void interleave_value_destroy(void *value, const void *type) {
  interleave_value_witnesses(type)->destroy(value, type);
}

#endif
