/**
 * Builds the site image with jib-core and pushes it to a registry: the request, the builder, the
 * registry trust and credentials it needs, and the image record that later goals read.
 */
package io.github.stscanary.canary.image;
