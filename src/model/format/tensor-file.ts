import Type, { type Static } from 'typebox';

/**
 * Descriptor of one tensor inside a model's binary weights file (format of
 * our own, used by the non-TF.js families). The file is the tensors' bytes one
 * after another, little-endian, each starting at `offset`.
 *
 * - `float32`: 4 bytes per value.
 * - `float16`: IEEE 754 half precision, 2 bytes per value.
 * - `int8-rows`: 1 signed byte per value, plus one float32 scale per row
 *   (the row is the last dimension) stored right after the int8 block;
 *   value = byte * scale. Keeps big embedding tables small.
 */
export const TensorEntrySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    dtype: Type.Union([Type.Literal('float32'), Type.Literal('float16'), Type.Literal('int8-rows')]),
    shape: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1, maxItems: 4 }),
    offset: Type.Integer({ minimum: 0 }),
    byteLength: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** One tensor's place in the weights file. */
export type TensorEntry = Static<typeof TensorEntrySchema>;

/** The list of tensors in a weights file, in file order. */
export const TensorIndexSchema = Type.Array(TensorEntrySchema, { maxItems: 64 });

/** The tensors of a weights file. */
export type TensorIndex = Static<typeof TensorIndexSchema>;
