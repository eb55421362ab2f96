// Package yamlfield decodes YAML strictly and reports problems as
// "file:line: field.path: problem", the form every bedrockplan input
// error takes. Unknown fields get a did-you-mean and the allowed list.
package yamlfield
