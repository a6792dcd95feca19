/** The homework-photo grader function. */
package io.fctoolkit.grader;
