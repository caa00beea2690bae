// Forms with files on slow links: <form data-upload-form>. No inline script (CSP); no library.
//
// On submit: photos are shrunk in the browser (longest side 1600 px, JPEG 0.8; other files untouched;
// the server still checks and re-encodes everything), the form goes out with XMLHttpRequest while a
// progress bar fills, and the submit buttons stay disabled until the answer comes. The server answers a
// redirect as {"redirect": url} (presidium.middleware.ScriptedUploadRedirectMiddleware) and the page goes
// there; a form with errors comes back as a page, whose <main> replaces this one; a failure re-enables
// the buttons with a message in Chinese. The form keeps its one-time token, so pressing save again after
// a failure never saves twice. Without this script the form is a plain POST and still works.
(function () {
  "use strict";

  var MAX_EDGE = 1600;
  var QUALITY = 0.8;
  var SHRINKABLE = /^image\/(jpeg|png|webp|bmp)$/i;

  function texts(box) {
    var read = function (name) { return (box && box.getAttribute("data-text-" + name)) || ""; };
    return {
      resizing: read("resizing"), sending: read("sending"), saving: read("saving"), done: read("done"),
      network: read("network"), tooLarge: read("too-large"), server: read("server")
    };
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function megabytes(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  // --- reading a JPEG's orientation and stored size, to turn the picture the right way up --------
  function jpegInfo(buffer) {
    var view = new DataView(buffer);
    var info = { orientation: 1, width: 0, height: 0 };
    if (view.byteLength < 4 || view.getUint16(0) !== 0xFFD8) { return info; }
    var offset = 2;
    while (offset + 4 <= view.byteLength) {
      var marker = view.getUint16(offset);
      if ((marker & 0xFF00) !== 0xFF00) { break; }
      var length = view.getUint16(offset + 2);
      if (marker === 0xFFE1 && offset + 10 <= view.byteLength && view.getUint32(offset + 4) === 0x45786966) {
        info.orientation = exifOrientation(view, offset + 10) || 1;
      } else if (marker >= 0xFFC0 && marker <= 0xFFCF && marker !== 0xFFC4 && marker !== 0xFFC8 && marker !== 0xFFCC) {
        if (offset + 9 <= view.byteLength) {
          info.height = view.getUint16(offset + 5);
          info.width = view.getUint16(offset + 7);
        }
        break;
      }
      offset += 2 + length;
    }
    return info;
  }

  function exifOrientation(view, tiff) {
    if (tiff + 8 > view.byteLength) { return 0; }
    var little = view.getUint16(tiff) === 0x4949;
    var ifd = tiff + view.getUint32(tiff + 4, little);
    if (ifd + 2 > view.byteLength) { return 0; }
    var entries = view.getUint16(ifd, little);
    for (var i = 0; i < entries; i++) {
      var entry = ifd + 2 + i * 12;
      if (entry + 10 > view.byteLength) { return 0; }
      if (view.getUint16(entry, little) === 0x0112) { return view.getUint16(entry + 8, little); }
    }
    return 0;
  }

  function headOf(file) {
    var head = file.slice(0, 256 * 1024);
    if (head.arrayBuffer) { return head.arrayBuffer(); }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsArrayBuffer(head);
    });
  }

  function decode(file) {
    try {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
        return createImageBitmap(file);
      });
    } catch (error) {  // an older browser that does not know the option throws at once
      return createImageBitmap(file);
    }
  }

  // A smaller JPEG of ``file``, or ``file`` itself when that is not possible or not smaller.
  function shrink(file) {
    if (!SHRINKABLE.test(file.type || "") || !window.createImageBitmap || !HTMLCanvasElement.prototype.toBlob) {
      return Promise.resolve(file);
    }
    var isJpeg = /jpeg/i.test(file.type);
    return (isJpeg ? headOf(file).then(jpegInfo) : Promise.resolve({ orientation: 1, width: 0, height: 0 }))
      .then(function (info) {
        if (info.orientation >= 2 && info.orientation <= 4) { return file; }  // mirrored or upside down: the server turns it
        return decode(file).then(function (bitmap) {
          var turn = 1;
          if (info.orientation >= 5) {
            if (info.width && info.width !== info.height && bitmap.width === info.width && bitmap.height === info.height) {
              turn = info.orientation;  // the browser ignored the orientation: turn it here
            } else if (!info.width || info.width === info.height) {
              bitmap.close();
              return file;  // cannot tell: leave it to the server
            }
          }
          var rawW = bitmap.width, rawH = bitmap.height;
          var longest = Math.max(rawW, rawH);
          var scale = longest > MAX_EDGE ? MAX_EDGE / longest : 1;
          var w = Math.max(1, Math.round(rawW * scale)), h = Math.max(1, Math.round(rawH * scale));
          var canvas = document.createElement("canvas");
          canvas.width = turn >= 5 ? h : w;
          canvas.height = turn >= 5 ? w : h;
          var ctx = canvas.getContext("2d");
          ctx.fillStyle = "#fff";  // transparent PNG areas become white, not black
          ctx.fillRect(0, 0, canvas.width, canvas.height);
          if (turn === 5) { ctx.transform(0, 1, 1, 0, 0, 0); }
          else if (turn === 6) { ctx.transform(0, 1, -1, 0, h, 0); }
          else if (turn === 7) { ctx.transform(0, -1, -1, 0, h, w); }
          else if (turn === 8) { ctx.transform(0, -1, 1, 0, 0, w); }
          ctx.imageSmoothingQuality = "high";
          ctx.drawImage(bitmap, 0, 0, w, h);
          bitmap.close();
          return new Promise(function (resolve) {
            canvas.toBlob(function (blob) {
              canvas.width = canvas.height = 0;  // give the memory back at once on a small phone
              if (!blob || (scale === 1 && turn === 1 && blob.size >= file.size)) { resolve(file); return; }
              var name = (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
              resolve(new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified }));
            }, "image/jpeg", QUALITY);
          });
        });
      })
      .catch(function () { return file; });
  }

  // --- the form ------------------------------------------------------------------------------
  function buttonsOf(form) {
    return Array.prototype.slice.call(form.querySelectorAll("button[type=submit], input[type=submit], button:not([type])"));
  }

  function progressOf(form) {
    var box = form.querySelector("[data-upload-progress]");
    if (!box) { return null; }
    return {
      box: box,
      bar: box.querySelector(".progress-bar"),
      meter: box.querySelector("[role=progressbar]"),
      status: box.querySelector("[data-upload-status]"),
      text: texts(box)
    };
  }

  function show(progress, percent, message, failed) {
    if (!progress) { return; }
    progress.box.classList.remove("d-none");
    progress.box.classList.toggle("failed", !!failed);
    if (percent !== null) {
      var value = Math.max(0, Math.min(100, Math.round(percent)));
      progress.bar.style.width = value + "%";  // CSSOM, allowed by the CSP (no style attribute in markup)
      progress.meter.setAttribute("aria-valuenow", String(value));
    }
    progress.bar.classList.toggle("progress-bar-animated", !failed);
    progress.status.textContent = message;
    progress.status.classList.toggle("text-danger", !!failed);
    progress.status.classList.toggle("text-muted", !failed);
  }

  function entriesOf(form, submitter) {
    var data;
    try { data = submitter ? new FormData(form, submitter) : new FormData(form); } catch (error) { data = new FormData(form); }
    var entries = [];
    data.forEach(function (value, key) { entries.push([key, value]); });
    return entries;
  }

  function shrinkAll(entries, progress) {
    var images = entries.filter(function (e) { return e[1] instanceof File && e[1].size > 0 && SHRINKABLE.test(e[1].type || ""); });
    var done = 0;
    var chain = Promise.resolve();
    entries.forEach(function (entry) {
      var value = entry[1];
      if (!(value instanceof File) || value.size === 0 || images.indexOf(entry) < 0) { return; }
      chain = chain.then(function () {
        done += 1;
        show(progress, 0, fill(progress ? progress.text.resizing : "", { n: done, total: images.length }));
        return shrink(value).then(function (smaller) { entry[1] = smaller; });
      });
    });
    return chain.then(function () {
      var body = new FormData();
      entries.forEach(function (entry) {
        if (entry[1] instanceof File) { body.append(entry[0], entry[1], entry[1].name); } else { body.append(entry[0], entry[1]); }
      });
      return body;
    });
  }

  function swapMain(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("main");
    var current = document.getElementById("main");
    if (!fresh || !current) { return false; }
    var adopted = document.adoptNode(fresh);
    current.replaceWith(adopted);
    if (doc.title) { document.title = doc.title; }
    if (window.htmx && window.htmx.process) { window.htmx.process(adopted); }
    if (window.portalRenderCharts) { window.portalRenderCharts(adopted); }
    window.scrollTo(0, 0);
    var alert = adopted.querySelector(".alert-danger, .invalid-feedback, .alert");
    if (alert) { alert.setAttribute("tabindex", "-1"); alert.focus({ preventScroll: true }); }
    return true;
  }

  function send(form, submitter) {
    var progress = progressOf(form);
    var buttons = buttonsOf(form);
    var finish = function (message) {
      form.removeAttribute("data-uploading");
      form.removeAttribute("aria-busy");
      buttons.forEach(function (b) { b.disabled = false; });
      show(progress, null, message, true);
      if (!progress) { window.alert(message); }
    };
    form.setAttribute("data-uploading", "1");
    form.setAttribute("aria-busy", "true");
    buttons.forEach(function (b) { b.disabled = true; });
    show(progress, 0, "");

    shrinkAll(entriesOf(form, submitter), progress).then(function (body) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("X-Upload-Form", "1");
      xhr.upload.addEventListener("progress", function (event) {
        if (!event.lengthComputable) { return; }
        var percent = event.loaded / event.total * 100;
        show(progress, percent, fill(progress ? progress.text.sending : "",
          { percent: Math.round(percent) + "%", sent: megabytes(event.loaded), size: megabytes(event.total) }));
      });
      xhr.upload.addEventListener("load", function () { show(progress, 100, progress ? progress.text.saving : ""); });
      xhr.addEventListener("load", function () {
        var type = xhr.getResponseHeader("Content-Type") || "";
        if (xhr.status === 200 && type.indexOf("application/json") === 0) {
          var answer = {};
          try { answer = JSON.parse(xhr.responseText); } catch (error) { answer = {}; }
          if (answer.redirect) {
            show(progress, 100, progress ? progress.text.done : "");
            window.location.assign(answer.redirect);
            return;
          }
        }
        if (xhr.status === 200 && type.indexOf("text/html") === 0 && swapMain(xhr.responseText)) {
          return;  // the form again, with what to correct; its buttons are fresh and enabled
        }
        if (xhr.status === 413) { finish(progress ? progress.text.tooLarge : ""); return; }
        finish(fill(progress ? progress.text.server : "", { status: xhr.status }));
      });
      xhr.addEventListener("error", function () { finish(progress ? progress.text.network : ""); });
      xhr.addEventListener("abort", function () { finish(progress ? progress.text.network : ""); });
      xhr.addEventListener("timeout", function () { finish(progress ? progress.text.network : ""); });
      xhr.send(body);
    }).catch(function () { finish(progress ? progress.text.network : ""); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-upload-form") || event.defaultPrevented) { return; }
    if (!window.XMLHttpRequest || !window.FormData || !window.Promise || !window.DOMParser) { return; }  // plain POST
    event.preventDefault();
    if (form.hasAttribute("data-uploading")) { return; }  // a second tap while sending: ignored
    send(form, event.submitter || null);
  });
})();
