/**
 * Vertex AI Gemini with federated credentials: {@link io.github.wif4j.genai.VertexGemini} returns a
 * ready google-genai {@code Client}.
 */
package io.github.wif4j.genai;
