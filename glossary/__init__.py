"""Policy-term glossary: candidates, English equivalents, the reviewed store, exports."""
