// Subscribes this browser to push notifications and gives the subscription to Solidair.
(function () {
  const box = document.getElementById("push");
  if (!box) return;
  const button = document.getElementById("push-enable");
  const status = document.getElementById("push-status");

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    document.getElementById("push-unsupported").hidden = false;
    button.hidden = true;
    return;
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        document.getElementById("push-denied").hidden = false;
        return;
      }
      const registration = await navigator.serviceWorker.register(box.dataset.workerUrl, { scope: "/" });
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(box.dataset.key),
      });
      const response = await fetch(box.dataset.subscribeUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": box.dataset.csrf },
        body: JSON.stringify(subscription.toJSON()),
      });
      const answer = await response.json();
      status.textContent = answer.message || answer.error;
    } catch (error) {
      status.textContent = error.message;
    } finally {
      button.disabled = false;
    }
  });
})();
