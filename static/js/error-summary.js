// A page that answered with errors: move the focus to its summary, so the errors are read first.
document.querySelector("#error-summary, [data-error-summary]")?.focus();
