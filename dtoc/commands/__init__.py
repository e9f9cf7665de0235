"""The commands' compositions, one per command: checks, inputs, compute, publish, in one place. The CLI, the
scheduled deployment and the Python API call the same one. This is the top layer of the domain: it may import
every other package of dtoc, and none of them imports it."""
