package io.jkeras.optimizers;

import org.tensorflow.ndarray.Shape;

/**
 * One variable of an optimizer's state as Keras 3 saves it in {@code optimizer/vars/N}: its slot
 * name ({@code iteration}, {@code learning_rate}, {@code momentum}...), shape, whether Keras stores
 * it as an integer (the iteration count, Adafactor's placeholder zeros) and the index of the
 * trainable weight it belongs to (-1 for the optimizer's own scalars).
 *
 * <pre>{@code
 * for (OptimizerVariable v : new Adam().variableLayout(List.of(Shape.of(3, 4)))) {
 *   System.out.println(v.name() + " " + v.shape() + (v.integer() ? " int" : " float"));
 * }
 * }</pre>
 *
 * @param name the slot name, as Keras's variable name ends
 * @param shape the variable's shape
 * @param integer true for an integer variable, false for float32
 * @param weight the index of its trainable weight, or -1
 */
public record OptimizerVariable(String name, Shape shape, boolean integer, int weight) {}
