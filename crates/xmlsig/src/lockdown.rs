//! The second line: libxml2 and xmlsec are kept off the network and the file system for the
//! whole process, whatever a document asks for.
//!
//! xmlsec resolves a Reference's URI through its own table of I/O callbacks (filled at its
//! initialisation with libxml2's file, HTTP and FTP readers) and runs XSLT, whose `document()`
//! goes through libxml2's external entity loader. Emptying xmlsec's table leaves it able to
//! resolve same-document references only; a loader and an input handler that refuse every
//! URL (but for directories the process itself allowed, for its own XML schemas) close
//! libxml2. Installed once, before the first verification, by every verifier of this crate.

#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_void, CStr};
use std::path::{Path, PathBuf};
use std::sync::{OnceLock, RwLock};

use libxml::bindings as xml;
use samael::crypto::{CertificateDer, CryptoProvider, XmlSec};

use crate::{Result, XmlSigError};

extern "C" {
    // xmlsec/io.h: removes every I/O callback xmlsec would open a Reference's URI with.
    fn xmlSecIOCleanupCallbacks();
    // xmlsec/errors.h: its default error callback prints every failure, with the URIs an
    // attacker chose, to stderr; the caller reports the outcome instead.
    fn xmlSecErrorsDefaultCallbackEnableOutput(enabled: c_int);
}

static INSTALLED: OnceLock<std::result::Result<(), String>> = OnceLock::new();
static DEFAULT_LOADER: OnceLock<xml::xmlExternalEntityLoader> = OnceLock::new();
static ALLOWED_DIRS: RwLock<Vec<PathBuf>> = RwLock::new(Vec::new());

/// Installs the lockdown (once per process; later calls return the first outcome).
///
/// After it, no XML parsed or verified in this process can make libxml2 or xmlsec open a URL
/// or a file, but for files under directories given to [`allow_local_dir`].
pub fn lockdown() -> Result<()> {
    INSTALLED
        .get_or_init(install)
        .clone()
        .map_err(XmlSigError::Lockdown)
}

/// Lets libxml2 read files under `dir` (the application's own XML schemas, whose imports
/// libxml2 loads by path). Nothing from outside should ever be placed there.
pub fn allow_local_dir(dir: &Path) -> Result<()> {
    let dir = dir
        .canonicalize()
        .map_err(|e| XmlSigError::Lockdown(format!("{}: {e}", dir.display())))?;
    let mut dirs = ALLOWED_DIRS
        .write()
        .map_err(|_| XmlSigError::Lockdown("allowed directories poisoned".into()))?;
    if !dirs.contains(&dir) {
        dirs.push(dir);
    }
    Ok(())
}

fn install() -> std::result::Result<(), String> {
    // samael initialises xmlsec on first use, and that initialisation registers the default
    // I/O callbacks: force it now, so that the cleanup below is not undone later. Loading an
    // empty certificate initialises and then fails, as intended.
    let _ = XmlSec::verify_signed_xml("<i/>", &CertificateDer::from(Vec::new()), None);
    // SAFETY: plain calls into libxml2/xmlsec with function pointers that live for the whole
    // process; xmlsec's initialisation above has completed (samael holds it in a static).
    unsafe {
        xmlSecIOCleanupCallbacks();
        xmlSecErrorsDefaultCallbackEnableOutput(0);
        let _ = DEFAULT_LOADER.set(xml::xmlGetExternalEntityLoader());
        xml::xmlSetExternalEntityLoader(Some(entity_loader));
        if xml::xmlRegisterInputCallbacks(
            Some(input_match),
            Some(input_open),
            Some(input_read),
            Some(input_close),
        ) < 0
        {
            return Err("libxml2 refused the input handler".into());
        }
    }
    Ok(())
}

/// Whether libxml2 may read `url`: a local path under an allowed directory, nothing else.
fn allowed(url: *const c_char) -> bool {
    if url.is_null() {
        return false;
    }
    // SAFETY: libxml2 passes a NUL-terminated string that outlives the call.
    let Ok(url) = unsafe { CStr::from_ptr(url) }.to_str() else {
        return false;
    };
    let path = match url.strip_prefix("file://") {
        Some(rest) => rest,
        None if url.contains("://") => return false,
        None => url,
    };
    let Ok(path) = Path::new(path).canonicalize() else {
        return false;
    };
    ALLOWED_DIRS
        .read()
        .map(|dirs| dirs.iter().any(|d| path.starts_with(d)))
        .unwrap_or(false)
}

unsafe extern "C" fn entity_loader(
    url: *const c_char,
    id: *const c_char,
    ctxt: xml::xmlParserCtxtPtr,
) -> xml::xmlParserInputPtr {
    if !allowed(url) {
        return std::ptr::null_mut();
    }
    match DEFAULT_LOADER.get().copied().flatten() {
        // SAFETY: libxml2's own loader, called with the arguments libxml2 gave us.
        Some(default) => unsafe { default(url, id, ctxt) },
        None => std::ptr::null_mut(),
    }
}

/// Claims every URL that is not allowed, so that libxml2's own file and HTTP handlers (tried
/// after this one) never see it; `input_open` then fails.
unsafe extern "C" fn input_match(url: *const c_char) -> c_int {
    c_int::from(!allowed(url))
}

unsafe extern "C" fn input_open(_url: *const c_char) -> *mut c_void {
    std::ptr::null_mut()
}

unsafe extern "C" fn input_read(_ctx: *mut c_void, _buf: *mut c_char, _len: c_int) -> c_int {
    -1
}

unsafe extern "C" fn input_close(_ctx: *mut c_void) -> c_int {
    0
}
